using H2.Events;
using H2.Frames;
using H2.Hpack;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class PushTests
{
    private static ConnectionPair PushEnabledPair()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        pair.Client.SendHeaders(1, Get("/index.html"), endStream: true);
        pair.Exchange();
        return pair;
    }

    [Fact]
    public void ServerPush_ArrivesAsPushedStreamThenResponse()
    {
        ConnectionPair pair = PushEnabledPair();
        int promised = pair.Server.GetNextAvailableStreamId();
        Assert.Equal(2, promised);
        pair.Server.PushStream(1, promised, Get("/style.css"));
        pair.Server.SendHeaders(1, Ok(), endStream: true);
        pair.Server.SendHeaders(promised, Ok(("content-type", "text/css")));
        pair.Server.SendData(promised, "body{}"u8, endStream: true);
        (List<Event> client, _) = pair.Exchange();

        var pushed = Assert.IsType<PushedStreamReceived>(client[0]);
        Assert.Equal(2, pushed.PushedStreamId);
        Assert.Equal(1, pushed.ParentStreamId);
        Assert.Equal(Get("/style.css"), pushed.Headers);
        Assert.Equal(1, Assert.IsType<ResponseReceived>(client[1]).StreamId);
        Assert.IsType<StreamEnded>(client[2]);
        Assert.Equal(2, Assert.IsType<ResponseReceived>(client[3]).StreamId);
        Assert.Equal("body{}"u8.ToArray(), Assert.IsType<DataReceived>(client[4]).Data.ToArray());
        Assert.Equal(0, pair.Client.OpenInboundStreams);
    }

    [Fact]
    public void PushWhenTheClientDisabledIt_IsRefusedLocally()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        Assert.Throws<UnsupportedFrameException>(() => pair.Server.PushStream(1, 2, Get("/a")));
    }

    [Fact]
    public void ClientsCannotPush()
    {
        ConnectionPair pair = PushEnabledPair();
        Assert.Throws<UnsupportedFrameException>(() => pair.Client.PushStream(1, 2, Get("/a")));
    }

    [Fact]
    public void PushingAnUnsafeRequest_IsRefused()
    {
        ConnectionPair pair = PushEnabledPair();
        Assert.Throws<InvalidHeaderException>(() => pair.Server.PushStream(1, 2, Post()));
        Assert.Equal(0, pair.Server.OutboundDataLength);
    }

    [Fact]
    public void PushOnAClosedStream_IsRefused()
    {
        ConnectionPair pair = PushEnabledPair();
        pair.Server.SendHeaders(1, Ok(), endStream: true);
        Assert.Throws<StreamClosedException>(() => pair.Server.PushStream(1, 2, Get("/a")));
    }

    [Fact]
    public void PushPromiseToAServer_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get()));
        ProtocolException error = peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/x")), 16384)));
        Assert.IsType<UnsupportedFrameException>(error);
    }

    [Fact]
    public void PushPromiseWhenPushIsDisabled_IsAConnectionError()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/x")), 16384))).ErrorCode);
    }

    [Fact]
    public void PromisedRequestThatIsNotSafe_ResetsThePromisedStream()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        Assert.Empty(peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Post()), 16384))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(2));
    }

    public static TheoryData<string, HeaderField[]> MalformedPromisedRequests() => new()
    {
        { "second host differs", [.. Get("/a"), ("host", "example.com"), ("host", "evil.example.com")] },
        { "two hosts that differ, no :authority", [(":method", "GET"), (":scheme", "https"), (":path", "/a"), ("host", "a"), ("host", "b")] },
        { "https without :authority or host", [(":method", "GET"), (":scheme", "https"), (":path", "/a")] },
    };

    [Theory]
    [MemberData(nameof(MalformedPromisedRequests))]
    public void MalformedPromisedRequest_ResetsThePromisedStream(string description, HeaderField[] request)
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        Assert.Empty(peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(request), 16384))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(2));
        Assert.False(peer.Connection.IsClosed, description);
    }

    [Theory]
    [MemberData(nameof(MalformedPromisedRequests))]
    public void MalformedPromisedRequest_IsRefusedBeforeEncoding(string description, HeaderField[] request)
    {
        ConnectionPair pair = PushEnabledPair();
        Assert.Throws<InvalidHeaderException>(() => pair.Server.PushStream(1, 2, request));
        Assert.Equal(0, pair.Server.OutboundDataLength);
        pair.Server.PushStream(1, 2, Get("/a"));
        Assert.IsType<PushedStreamReceived>(Assert.Single(pair.Exchange().Client));
        Assert.NotEmpty(description);
    }

    [Fact]
    public void PromiseOnAStreamWeReset_ResetsThePromisedStreamToo()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Connection.ResetStream(1, ErrorCode.Cancel);
        peer.Received();
        Assert.Empty(peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/x")), 16384))));
        Assert.Equal(ErrorCode.Cancel, peer.ResetCode(2));
    }

    [Fact]
    public void PromiseOnAnIdleOrFinishedStream_IsAConnectionError()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/x")), 16384))).ErrorCode);

        RawPeer late = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        late.Connection.SendHeaders(1, Get(), endStream: true);
        late.Send(late.Headers(1, Ok()));
        late.Send(Data(1, [], endStream: true));
        Assert.Equal(ErrorCode.ProtocolError, late.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, late.Encoder.Encode(Get("/x")), 16384))).ErrorCode);
    }

    [Fact]
    public void PromisedStreamIdsMustRise()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 4, peer.Encoder.Encode(Get("/a")), 16384)));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/b")), 16384))).ErrorCode);
    }

    [Fact]
    public void DataOnAReservedStream_IsAConnectionError()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384)));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Data(2, [1])).ErrorCode);
    }

    [Fact]
    public void PushedStreams_CanBeResetByTheClient()
    {
        ConnectionPair pair = PushEnabledPair();
        pair.Server.PushStream(1, 2, Get("/a"));
        pair.Exchange();
        pair.Client.ResetStream(2, ErrorCode.Cancel);
        var reset = Assert.IsType<StreamReset>(Assert.Single(pair.Exchange().Server));
        Assert.Equal(2, reset.StreamId);
        Assert.Throws<StreamClosedException>(() => pair.Server.SendHeaders(2, Ok()));
    }

    [Fact]
    public void PushedResponse_CountsAgainstThePeersConcurrencyLimit()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true, MaxConcurrentStreams = 1 });
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.PushStream(1, 2, Get("/a"));
        pair.Server.PushStream(1, 4, Get("/b"));
        pair.Server.SendHeaders(2, Ok());
        Assert.Throws<TooManyStreamsException>(() => pair.Server.SendHeaders(4, Ok()));
    }

    [Fact]
    public void PushBeforeOurDisablingIsAcknowledged_OnlyRefusesThePromise()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        client.ReceiveData(Write(w => SettingsFrame.Write(w, []))); // no ACK for our ENABLE_PUSH = 0 yet
        client.SendHeaders(1, Get(), endStream: true);
        client.DataToSend();
        var encoder = new H2.Hpack.HpackEncoder();
        Assert.Empty(client.ReceiveData(Write(w => PushPromiseFrame.Write(w, 1, 2, encoder.Encode(Get("/a")), 16384))));
        Assert.False(client.IsClosed);
        var collector = new FrameCollector();
        new FrameReader().Read(client.DataToSend(), collector);
        Assert.Equal(ErrorCode.RefusedStream, Assert.Single(collector.Frames.OfType<RstStreamFrame>()).ErrorCode);
    }

    [Fact]
    public void PushedResponsesBeyondOurLimit_AreRefused()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true, MaxConcurrentStreams = 1 });
        peer.Connection.SendHeaders(1, Get());
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384)));

        // A third reserved stream is over the limit of 1 with stream 2 reserved.
        IReadOnlyList<Event> refused = peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 4, peer.Encoder.Encode(Get("/b")), 16384)));
        Assert.True(refused.Count == 0, string.Join(", ", refused));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(4));

        // Stream 2's response makes it the one active pushed stream; stream 6's would be a second.
        Assert.IsType<ResponseReceived>(peer.Send(peer.Headers(2, Ok()))[0]);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 6, peer.Encoder.Encode(Get("/c")), 16384)));
        var reset = Assert.IsType<StreamReset>(Assert.Single(peer.Send(peer.Headers(6, Ok()))));
        Assert.Equal(ErrorCode.RefusedStream, reset.ErrorCode);
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(6));
        Assert.Equal(1, peer.Connection.OpenInboundStreams);
    }

    [Fact]
    public void PromiseAfterOurGoAway_IsRefused()
    {
        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Connection.CloseConnection();
        peer.Received();
        Assert.Empty(peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384))));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(2));
    }

    [Fact]
    public void PushOnAPushedStream_IsRefusedBothWays()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.PushStream(1, 2, Get("/a"));
        pair.Server.SendHeaders(2, Ok());
        Assert.Throws<ProtocolException>(() => pair.Server.PushStream(2, 4, Get("/b")));

        RawPeer peer = ForClient(new H2Configuration { ClientSide = true, EnablePush = true });
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Send(Write(w => PushPromiseFrame.Write(w, 1, 2, peer.Encoder.Encode(Get("/a")), 16384)), peer.Headers(2, Ok()));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => PushPromiseFrame.Write(w, 2, 4, peer.Encoder.Encode(Get("/b")), 16384))).ErrorCode);
    }
}
