using System.Buffers;
using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>PING, priorities, ALTSVC, ORIGIN, unknown and extension frames, and taking the outbound bytes.</summary>
public class ControlFrameTests
{
    [Fact]
    public void Ping_IsAcknowledgedAutomatically()
    {
        RawPeer peer = ForServer();
        var ping = Assert.IsType<PingReceived>(Assert.Single(peer.Send(Write(w => PingFrame.Write(w, "abcdefgh"u8)))));
        Assert.Equal("abcdefgh"u8.ToArray(), ping.PingData.ToArray());
        var ack = Assert.IsType<PingFrame>(Assert.Single(peer.Received()));
        Assert.True(ack.Ack);
        Assert.Equal("abcdefgh"u8.ToArray(), ack.OpaqueData.ToArray());
    }

    [Fact]
    public void PingAck_IsReported()
    {
        var pair = new ConnectionPair();
        pair.Client.Ping("01234567"u8);
        (List<Event> client, List<Event> server) = pair.Exchange();
        Assert.IsType<PingReceived>(Assert.Single(server));
        Assert.Equal("01234567"u8.ToArray(), Assert.IsType<PingAckReceived>(Assert.Single(client)).PingData.ToArray());
        Assert.Throws<ArgumentException>(() => pair.Client.Ping("short"u8));
    }

    [Fact]
    public void Priority_IsReportedForAnyStream()
    {
        var pair = new ConnectionPair();
        pair.Client.Prioritize(7, weight: 100, dependsOn: 3, exclusive: true);
        var priority = Assert.IsType<PriorityUpdated>(Assert.Single(pair.Exchange().Server));
        Assert.Equal((7, 100, 3, true), (priority.StreamId, priority.Weight, priority.DependsOn, priority.Exclusive));
        Assert.Throws<ArgumentException>(() => pair.Client.Prioritize(5, dependsOn: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.Prioritize(0));
    }

    [Fact]
    public void PriorityDependingOnItself_IsAStreamError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Write(w => PriorityFrame.Write(w, 1, new StreamPriority(1))))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void PriorityOfTheWrongLength_IsAStreamErrorOnAKnownStream()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Write(w => UnknownFrame.Write(w, FrameType.Priority, 0, 1, [0, 0, 0, 0])))));
        Assert.Equal(ErrorCode.FrameSizeError, peer.ResetCode(1));

        RawPeer idle = ForServer();
        Assert.Equal(ErrorCode.FrameSizeError, idle.SendExpectingError(Write(w => UnknownFrame.Write(w, FrameType.Priority, 0, 9, [0, 0, 0, 0]))).ErrorCode);
    }

    [Fact]
    public void PriorityUpdate_ReachesTheServer()
    {
        var pair = new ConnectionPair();
        pair.Client.SendPriorityUpdate(1, "u=1, i");
        var update = Assert.IsType<PriorityUpdateReceived>(Assert.Single(pair.Exchange().Server));
        Assert.Equal((1, "u=1, i"), (update.PrioritizedStreamId, update.PriorityFieldValue));
        Assert.Throws<UnsupportedFrameException>(() => pair.Server.SendPriorityUpdate(1, "u=1"));
    }

    [Fact]
    public void PriorityUpdateToAClient_IsAConnectionError()
    {
        RawPeer peer = ForClient();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PriorityUpdateFrame.Write(w, 1, "u=1"u8))).ErrorCode);
    }

    [Fact]
    public void AlternativeServices_ReachTheClient()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.AdvertiseAlternativeService("h2=\":8443\"", origin: "https://example.com");
        pair.Server.AdvertiseAlternativeService("h2=\":9443\"", streamId: 1);
        (List<Event> client, _) = pair.Exchange();
        Assert.Equal(
            [("https://example.com", "h2=\":8443\""), ("https://example.com", "h2=\":9443\"")],
            client.Cast<AlternativeServiceAvailable>().Select(e => (e.Origin, e.FieldValue)));
        Assert.Throws<ArgumentException>(() => pair.Server.AdvertiseAlternativeService("x", "o", 1));
        Assert.Throws<ArgumentException>(() => pair.Server.AdvertiseAlternativeService("x"));
        Assert.Throws<UnsupportedFrameException>(() => pair.Client.AdvertiseAlternativeService("x", "o"));
    }

    [Fact]
    public void AlternativeServicesSentToAServer_AreIgnored()
    {
        RawPeer peer = ForServer();
        Assert.Empty(peer.Send(Write(w => AltSvcFrame.Write(w, 0, "https://a", "clear"))));
        Assert.False(peer.Connection.IsClosed);
    }

    [Theory]
    [InlineData(FrameType.AltSvc, 0, "0000 6832")] // stream 0 without an origin (RFC 7838 §4)
    [InlineData(FrameType.AltSvc, 1, "0001 78 6832")] // a stream with an origin (RFC 7838 §4)
    [InlineData(FrameType.AltSvc, 0, "00")] // too short for Origin-Len
    [InlineData(FrameType.AltSvc, 0, "0009 616263")] // Origin-Len beyond the payload
    [InlineData(FrameType.Origin, 1, "0001 61")] // ORIGIN on a stream (RFC 8336 §2.1)
    [InlineData(FrameType.Origin, 0, "0005 61")] // an entry beyond the payload
    public void InvalidAltSvcAndOriginFrames_AreIgnored(FrameType type, int streamId, string payloadHex)
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Received();
        byte[] payload = Convert.FromHexString(payloadHex.Replace(" ", "", StringComparison.Ordinal));
        Assert.Empty(peer.Send(Write(w => UnknownFrame.Write(w, type, 0, streamId, payload))));
        Assert.Empty(peer.Received());
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void Origins_ReachTheClient_AndServersIgnoreThem()
    {
        var pair = new ConnectionPair();
        pair.Server.SendOrigins(["https://a.example", "https://b.example"]);
        Assert.Equal(["https://a.example", "https://b.example"], Assert.IsType<OriginReceived>(Assert.Single(pair.Exchange().Client)).Origins);
        Assert.Throws<UnsupportedFrameException>(() => pair.Client.SendOrigins(["https://c"]));

        RawPeer peer = ForServer();
        Assert.Empty(peer.Send(Write(w => OriginFrame.Write(w, ["https://x"]))));
    }

    [Fact]
    public void UnknownFrames_AreReported_AndExtensionFramesCanBeSent()
    {
        var pair = new ConnectionPair();
        pair.Client.SendExtensionFrame((FrameType)0xf0, (FrameFlags)0x3, 0, "hello"u8);
        var unknown = Assert.IsType<UnknownFrameReceived>(Assert.Single(pair.Exchange().Server));
        Assert.Equal((FrameType)0xf0, unknown.Frame.Type);
        Assert.Equal("hello"u8.ToArray(), unknown.Frame.Payload.ToArray());
        Assert.Throws<ArgumentException>(() => pair.Client.SendExtensionFrame(FrameType.Data, 0, 1, []));
        Assert.Throws<ArgumentException>(() => pair.Client.SendExtensionFrame((FrameType)0xf0, 0, 0, new byte[16385]));
    }

    [Fact]
    public void DataToSend_CanBeTakenInPieces()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        long total = server.OutboundDataLength;
        byte[] first = server.DataToSend(5);
        Assert.Equal(5, first.Length);
        Assert.Equal(total - 5, server.OutboundDataLength);
        byte[] rest = server.DataToSend();
        Assert.Equal(total - 5, rest.Length);
        Assert.Empty(server.DataToSend());
        Assert.Throws<ArgumentOutOfRangeException>(() => server.DataToSend(-1));
    }

    [Fact]
    public void DataToSend_CanGoStraightIntoABufferWriter()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[] { 1, 2, 3 }.AsMemory());
        pair.Client.Ping("abcdefgh"u8);
        long length = pair.Client.OutboundDataLength;
        var writer = new ArrayBufferWriter<byte>();
        Assert.Equal(length, pair.Client.DataToSend(writer));
        Assert.Equal(0, pair.Client.OutboundDataLength);
        IReadOnlyList<Event> events = pair.Server.ReceiveData(writer.WrittenSpan);
        Assert.IsType<RequestReceived>(events[0]);
        Assert.IsType<DataReceived>(events[1]);
        Assert.IsType<PingReceived>(events[2]);
    }

    [Fact]
    public void PeekAndAdvance_WalkTheQueueWithoutCopying()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[] { 7, 7 }.AsMemory(), endStream: true);
        var collected = new List<byte>();
        for (ReadOnlyMemory<byte> chunk = pair.Client.PeekDataToSend(); !chunk.IsEmpty; chunk = pair.Client.PeekDataToSend())
        {
            int take = Math.Min(chunk.Length, 3);
            collected.AddRange(chunk.Span[..take].ToArray());
            pair.Client.AdvanceDataToSend(take);
        }

        IReadOnlyList<Event> events = pair.Server.ReceiveData(collected.ToArray());
        Assert.Equal([7, 7], Assert.IsType<DataReceived>(events[1]).Data.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.AdvanceDataToSend(-1));
    }

    [Fact]
    public void ClearOutboundDataBuffer_DropsEverything()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        server.ClearOutboundDataBuffer();
        Assert.Equal(0, server.OutboundDataLength);
        Assert.True(server.PeekDataToSend().IsEmpty);
    }

    [Fact]
    public void Logger_SeesFramesAndErrors_OnlyWhenEnabled()
    {
        var log = new ListLogger();
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, Logger = log });
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, [1]);
        pair.Client.ResetStream(1, ErrorCode.Cancel);
        pair.Client.CloseConnection();
        Assert.Contains(log.Messages, m => m.Level == H2LogLevel.Trace && m.Text.Contains("HEADERS", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Level == H2LogLevel.Debug && m.Text.Contains("GOAWAY", StringComparison.Ordinal));

        var quiet = new ListLogger { Enabled = false };
        var silent = new ConnectionPair(new H2Configuration { ClientSide = true, Logger = quiet });
        silent.Client.SendHeaders(1, Get(), endStream: true);
        Assert.Empty(quiet.Messages);
    }

    private sealed class ListLogger : IH2Logger
    {
        public bool Enabled { get; init; } = true;

        public List<(H2LogLevel Level, string Text)> Messages { get; } = [];

        public bool IsEnabled(H2LogLevel level) => Enabled;

        public void Log(H2LogLevel level, string message) => Messages.Add((level, message));
    }

    [Fact]
    public void SelfDependentPriorityOnAnIdleStream_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PriorityFrame.Write(w, 5, new StreamPriority(5)))).ErrorCode);
        Assert.Empty(peer.Received().OfType<RstStreamFrame>());
    }
}
