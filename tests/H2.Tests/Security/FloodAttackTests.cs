using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;
using static H2.Tests.Security.Attack;

namespace H2.Tests.Security;

/// <summary>The 2019 floods (CVE-2019-9512..9518) and other glitches.</summary>
public class FloodAttackTests
{
    private static byte[] Ping(int i) => Write(w => PingFrame.Write(w, BitConverter.GetBytes((long)i)));

    private static H2Configuration Glitches(int burst) =>
        new() { TimeProvider = new ManualTimeProvider(), GlitchRateLimit = new RateLimit(burst, 0) };

    [Fact]
    public void PingFlood_ThatIsNotRead_IsEnhanceYourCalm()
    {
        var peer = ForServer();
        Assert.Equal(1000, peer.Send(Repeat(1000, Ping)).Count);
        ExpectCalm(peer, Ping(1000));
    }

    [Fact]
    public void PingFlood_InOneRead_IsStoppedPartWay_WithTheEventsBeforeIt()
    {
        var peer = ForServer();
        var error = ExpectCalm(peer, Repeat(100_000, Ping));
        Assert.Equal(1000, error.Events.Count);
        Assert.All(error.Events, e => Assert.IsType<PingReceived>(e));
    }

    [Fact]
    public void ManyPings_ThatAreAnswered_AreFine()
    {
        var peer = ForServer();
        for (int i = 0; i < 20; i++)
        {
            peer.Send(Repeat(900, Ping));
            peer.Connection.DataToSend();
        }

        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void AcknowledgementsTakenInPart_StillCountUntilWhollyTaken()
    {
        var peer = ForServer(new H2Configuration { MaxPendingAcknowledgements = 10 });
        peer.Send(Repeat(10, Ping));

        // Nine acknowledgements taken whole, the tenth in part: it still waits.
        peer.Connection.DataToSend((17 * 9) + 5);
        Assert.Equal(9, peer.Send(Repeat(9, Ping)).Count);
        Assert.Equal(ErrorCode.EnhanceYourCalm, Assert.IsType<DenialOfServiceException>(peer.SendExpectingError(Ping(20))).ErrorCode);
    }

    [Fact]
    public void SettingsFlood_ThatIsNotRead_IsEnhanceYourCalm()
    {
        var peer = ForServer();
        ExpectCalm(peer, Repeat(1001, _ => Write(w => SettingsFrame.Write(w, [new(SettingCode.EnablePush, 0)]))));
    }

    [Fact]
    public void SettingsFrame_WithMoreThan32Entries_IsEnhanceYourCalm()
    {
        Setting[] many = [.. Enumerable.Repeat(new Setting(SettingCode.MaxConcurrentStreams, 10), 33)];
        Assert.Single(ForServer().Send(Write(w => SettingsFrame.Write(w, many.AsSpan(0, 32)))));
        ExpectCalm(ForServer(), Write(w => SettingsFrame.Write(w, many)));
    }

    [Fact]
    public void ResetAnswersThatAreNotRead_AreBounded()
    {
        // Each malformed request (no :path) obliges a RST_STREAM: CVE-2019-9514.
        var peer = ForServer(new H2Configuration { GlitchRateLimit = null, MaxPendingControlFrames = 100 });
        byte[] Malformed(int i) => HeadersFrameOf((2 * i) + 1, [.. Indexed(2), .. Indexed(7), .. Literal(":authority", "example.com")]);
        Assert.Empty(peer.Send(Repeat(100, Malformed)));
        ExpectCalm(peer, Malformed(100));
    }

    [Fact]
    public void EmptyDataFlood_IsEnhanceYourCalm()
    {
        var peer = ForServer(Glitches(100));
        peer.Send(HeadersFrameOf(1, GetRequestBlock(), endStream: false));
        Assert.Equal(100, peer.Send(Repeat(100, _ => Data(1, []))).Count);
        ExpectCalm(peer, Data(1, []));
    }

    [Fact]
    public void EmptyFinalData_IsNoGlitch()
    {
        var peer = ForServer(Glitches(1));
        for (int i = 0; i < 10; i++)
        {
            peer.Send(HeadersFrameOf((2 * i) + 1, GetRequestBlock(), endStream: false), Data((2 * i) + 1, [], endStream: true));
        }

        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void PriorityFlood_IsEnhanceYourCalm()
    {
        var peer = ForServer(Glitches(100));
        Assert.Equal(100, peer.Send(Repeat(100, i => Write(w => PriorityFrame.Write(w, (2 * i) + 1, new StreamPriority(0, 16))))).Count);
        ExpectCalm(peer, Write(w => PriorityFrame.Write(w, 1, new StreamPriority(0, 16))));
    }

    [Fact]
    public void PriorityUpdateFlood_IsEnhanceYourCalm()
    {
        var peer = ForServer(Glitches(10));
        peer.Send(Repeat(10, i => Write(w => PriorityUpdateFrame.Write(w, 1, "u=1"u8))));
        ExpectCalm(peer, Write(w => PriorityUpdateFrame.Write(w, 1, "u=2"u8)));
    }

    [Fact]
    public void InformationalResponseFlood_IsEnhanceYourCalm()
    {
        // One 1xx is free (100 Continue, or a 103); each further one on the stream is a glitch.
        var peer = ForClient(new H2Configuration { ClientSide = true, TimeProvider = new ManualTimeProvider(), GlitchRateLimit = new RateLimit(10, 0) });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        IReadOnlyList<Events.Event> events = peer.Send(Repeat(11, _ => peer.Headers(1, [(":status", "103"), ("link", "</a.css>; rel=preload")])));
        Assert.Equal(11, events.Count);
        ExpectCalm(peer, peer.Headers(1, [(":status", "103")]));
    }

    [Fact]
    public void AnInformationalResponseOrTwo_IsNoGlitch()
    {
        var peer = ForClient(new H2Configuration { ClientSide = true, TimeProvider = new ManualTimeProvider(), GlitchRateLimit = new RateLimit(1, 0) });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Connection.SendHeaders(3, Get(), endStream: true);
        peer.Send(peer.Headers(1, [(":status", "100")]), peer.Headers(1, [(":status", "103")]), peer.Headers(3, [(":status", "103")]));
        peer.Send(peer.Headers(1, Ok(), endStream: true), peer.Headers(3, Ok(), endStream: true));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void UnknownFrameFlood_IsEnhanceYourCalm()
    {
        var peer = ForServer(Glitches(100));
        Assert.Equal(100, peer.Send(Repeat(100, _ => Raw((FrameType)0xfa, FrameFlags.None, 0, [1, 2, 3]))).Count);
        ExpectCalm(peer, Raw((FrameType)0xfa, FrameFlags.None, 0, []));
    }

    [Fact]
    public void ExtensionFramesMeantForClients_CountOnServers()
    {
        var peer = ForServer(Glitches(2));
        peer.Send(Write(w => AltSvcFrame.Write(w, 0, "https://example.com", "h2=\":443\"")), Write(w => OriginFrame.Write(w, ["https://example.com"])));
        ExpectCalm(peer, Write(w => OriginFrame.Write(w, ["https://example.com"])));
    }

    [Fact]
    public void StreamsWeResetThatKeepGettingFrames_AreGlitches()
    {
        var peer = ForServer(Glitches(20));
        for (int id = 1; id <= 41; id += 2)
        {
            peer.Send(HeadersFrameOf(id, GetRequestBlock(), endStream: false));
            peer.Connection.ResetStream(id, ErrorCode.Cancel);
            if (id < 41)
            {
                peer.Send(Data(id, [1]));
            }
        }

        ExpectCalm(peer, Data(41, [1]));
    }

    [Fact]
    public void AWholeWindowOfDataInFlight_AfterWeRejectAnUpload_IsNoFlood()
    {
        // RFC 9113 §5.1: the client may have a window's worth of DATA on the way when our reset
        // arrives; that is one glitch for the stream, not one per frame, so rejecting uploads
        // early is not mistaken for an attack.
        var peer = ForServer(Glitches(20));
        for (int id = 1; id <= 19; id += 2)
        {
            peer.Send(HeadersFrameOf(id, GetRequestBlock(), endStream: false));
            peer.Connection.SendHeaders(id, [(":status", "401")], endStream: true);
            peer.Connection.ResetStream(id, ErrorCode.NoError);
            peer.Connection.CompleteStreamWork(id);
            Assert.Empty(peer.Send(Repeat(60, _ => Data(id, new byte[100]))));
        }

        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void MalformedFramesOnClosedStreams_AreGlitches()
    {
        // Empty PRIORITY frames and zero WINDOW_UPDATEs on a closed stream are stream errors with
        // no stream left to reset; they must still draw on the budget.
        var peer = ForServer(Glitches(20));
        peer.Send(HeadersFrameOf(1, GetRequestBlock()));
        peer.Connection.SendHeaders(1, [(":status", "200")], endStream: true);
        peer.Send(Repeat(10, _ => Raw(FrameType.Priority, FrameFlags.None, 1, [])));
        peer.Send(Repeat(10, _ => Raw(FrameType.WindowUpdate, FrameFlags.None, 1, [0, 0, 0, 0])));
        ExpectCalm(peer, Raw(FrameType.Priority, FrameFlags.None, 1, []));
    }

    [Fact]
    public void StraySettingsAcknowledgements_AreGlitches()
    {
        var peer = ForServer(Glitches(3));
        peer.Send(Repeat(3, _ => Write(SettingsFrame.WriteAck)));
        ExpectCalm(peer, Write(SettingsFrame.WriteAck));
    }

    [Fact]
    public void Glitches_AtTheSustainedRate_AreAllowed()
    {
        var time = new ManualTimeProvider();
        var peer = ForServer(new H2Configuration { TimeProvider = time, GlitchRateLimit = new RateLimit(5, 100) });
        for (int i = 0; i < 1000; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            peer.Send(Raw((FrameType)0xfa, FrameFlags.None, 0, []));
        }

        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void GlitchLimit_CanBeTurnedOff()
    {
        var peer = ForServer(new H2Configuration { GlitchRateLimit = null });
        peer.Send(Repeat(20_000, _ => Raw((FrameType)0xfa, FrameFlags.None, 0, [])));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void SelfDependency_IsAStreamProtocolError()
    {
        var peer = ForServer();
        peer.Send(HeadersFrameOf(1, GetRequestBlock(), endStream: false), Write(w => PriorityFrame.Write(w, 1, new StreamPriority(1, 16))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void InvalidConfiguration_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { GlitchRateLimit = new RateLimit(0, 1) }));
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { InboundResetRateLimit = new RateLimit(1, double.NaN) }));
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { MaxSettingsPerFrame = -1 }));
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { HeaderListHardLimit = -1 }));
        Assert.ThrowsAny<ArgumentException>(() => new H2Connection(new H2Configuration { TimeProvider = null! }));
    }
}
