using H2.Events;
using H2.Frames;
using H2.Hpack;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class EdgeCaseTests
{
    [Fact]
    public void PeersHeaderTableSize_DrivesOurEncoder_AndOursDrivesOurDecoder()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, HeaderTableSize = 0 }, new H2Configuration { HeaderTableSize = 100_000 });
        Assert.Equal(0u, pair.Server.RemoteSettings.HeaderTableSize);
        Assert.Equal(0u, pair.Client.LocalSettings.HeaderTableSize);

        // Many requests and responses later both contexts still agree.
        for (int i = 0; i < 5; i++)
        {
            int id = pair.Client.GetNextAvailableStreamId();
            pair.Client.SendHeaders(id, [.. Get($"/{i}"), ("x-custom", "same-every-time")], endStream: true);
            pair.Exchange();
            pair.Server.SendHeaders(id, Ok(("x-server", "same-every-time")), endStream: true);
            Assert.Contains(pair.Exchange().Client, e => e is ResponseReceived);
        }
    }

    [Fact]
    public void EncoderTable_IsCappedWhateverThePeerAnnounces()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxEncoderTableSize = 256 }, new Setting(SettingCode.HeaderTableSize, 1_000_000));
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.SendHeaders(1, Ok(("x-a", new string('a', 100)), ("x-b", new string('b', 100)), ("x-c", new string('c', 100))), endStream: true);
        HeadersFrame headers = Assert.IsType<HeadersFrame>(peer.Received().Last());
        var decoder = new HpackDecoder { MaxAllowedTableSize = 1_000_000 };
        decoder.Decode(headers.HeaderBlockFragment.Span);
        Assert.True(decoder.DynamicTableSize <= 256);
    }

    [Fact]
    public void SecondHeadersAfterEndStream_IsStreamClosed()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(peer.Headers(1, [("x-t", "1")], endStream: true))));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
    }

    [Fact]
    public void DataBeforeTheResponse_IsRefusedLocally()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        Assert.Throws<ProtocolException>(() => pair.Server.SendData(1, [1]));
        pair.Server.SendHeaders(1, [(":status", "100")]);
        Assert.Throws<ProtocolException>(() => pair.Server.SendData(1, [1]));
    }

    [Fact]
    public void DataOnAPromisedStreamBeforeItsHeaders_IsRefusedLocally()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.PushStream(1, 2, Get("/a"));
        var error = Assert.Throws<ProtocolException>(() => pair.Server.SendData(2, [1]));
        Assert.Contains("send data", error.Message, StringComparison.Ordinal);
        Assert.Throws<ProtocolException>(() => pair.Server.IncrementFlowControlWindow(1, 2));
    }

    [Fact]
    public void PushPromiseOnAStreamTheServerEnded_IsAConnectionError()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Post());
        peer.Send(peer.Headers(1, Ok(), endStream: true));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/x")), 16384))).ErrorCode);
    }

    [Theory]
    [InlineData("CONNECT", null, "/chat", "a")]
    [InlineData("CONNECT", "https", null, "a")]
    [InlineData("CONNECT", "https", "/chat", null)]
    public void ExtendedConnect_NeedsAllItsPseudoHeaders(string method, string? scheme, string? path, string? authority)
    {
        RawPeer peer = ForServer(new H2Configuration { EnableConnectProtocol = true });
        var headers = new List<HeaderField> { (":method", method), (":protocol", "websocket") };
        if (scheme is not null)
        {
            headers.Add((":scheme", scheme));
        }

        if (path is not null)
        {
            headers.Add((":path", path));
        }

        if (authority is not null)
        {
            headers.Add((":authority", authority));
        }

        Assert.Empty(peer.Send(peer.Headers(1, headers)));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void ContentLengthTooLongToBeReal_IsMalformed()
    {
        RawPeer peer = ForServer();
        Assert.Empty(peer.Send(peer.Headers(1, [.. Post(), ("content-length", "1234567890123456789")])));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void ClosedStreamMemory_CanBeTurnedOff()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxClosedStreams = 0 });
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.ResetStream(1, ErrorCode.Cancel);
        peer.Received();

        // Without memory the stream's close reason is unknown: late DATA gets STREAM_CLOSED.
        peer.Send(Data(1, [1]));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
        Assert.Equal(1, peer.Connection.HighestInboundStreamId);
    }

    [Fact]
    public void RemoteSettings_CanBeEnumerated()
    {
        System.Collections.IEnumerable settings = new H2Connection().RemoteSettings;
        int count = 0;
        foreach (object _ in settings)
        {
            count++;
        }

        Assert.Equal(8, count);
    }

    [Fact]
    public void ClosingTheConnectionAfterASentStream_RejectsNewStreamsAndKeepsOld()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.CloseConnection();
        Assert.Throws<ProtocolException>(() => pair.Client.SendHeaders(3, Get(), endStream: true));
        pair.Client.SendData(1, [1], endStream: true);
        pair.Exchange();
        Assert.Contains(pair.ServerEvents, e => e is ConnectionTerminated);
        Assert.Contains(pair.ServerEvents, e => e is StreamEnded);
    }
}
