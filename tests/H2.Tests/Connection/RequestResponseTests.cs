using H2.Events;
using H2.Frames;
using H2.Hpack;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class RequestResponseTests
{
    [Fact]
    public void GetRequest_ArrivesAsRequestReceivedLinkedToStreamEnded()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get("/index.html"), endStream: true);
        (_, List<Event> server) = pair.Exchange();

        Assert.Collection(
            server,
            e =>
            {
                var request = Assert.IsType<RequestReceived>(e);
                Assert.Equal(1, request.StreamId);
                Assert.Equal(Get("/index.html"), request.Headers);
                Assert.Same(server[1], request.StreamEnded);
                Assert.Null(request.PriorityUpdated);
            },
            e => Assert.Equal(1, Assert.IsType<StreamEnded>(e).StreamId));
        Assert.Equal(1, pair.Server.OpenInboundStreams);
        Assert.Equal(1, pair.Client.OpenOutboundStreams);
    }

    [Fact]
    public void ResponseWithBody_ArrivesAsResponseAndData()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.SendHeaders(1, Ok(("content-length", "5")));
        pair.Server.SendData(1, "hello"u8, endStream: true);
        (List<Event> client, _) = pair.Exchange();

        var response = Assert.IsType<ResponseReceived>(client[0]);
        Assert.Null(response.StreamEnded);
        var data = Assert.IsType<DataReceived>(client[1]);
        Assert.Equal("hello"u8.ToArray(), data.Data.ToArray());
        Assert.Equal(5, data.FlowControlledLength);
        Assert.Same(client[2], data.StreamEnded);
        Assert.Equal(0, pair.Server.OpenInboundStreams);
        Assert.Equal(0, pair.Client.OpenOutboundStreams);
    }

    [Fact]
    public void PostWithBodyAndTrailers_BothWays()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[100]);
        pair.Client.SendHeaders(1, [("x-checksum", "abc")], endStream: true);
        (_, List<Event> server) = pair.Exchange();
        Assert.IsType<RequestReceived>(server[0]);
        Assert.IsType<DataReceived>(server[1]);
        var trailers = Assert.IsType<TrailersReceived>(server[2]);
        Assert.Equal([new HeaderField("x-checksum", "abc")], trailers.Headers);
        Assert.Same(server[3], trailers.StreamEnded);

        pair.Server.SendHeaders(1, Ok());
        pair.Server.SendData(1, new byte[10]);
        pair.Server.SendHeaders(1, [("grpc-status", "0")], endStream: true);
        (List<Event> client, _) = pair.Exchange();
        Assert.IsType<ResponseReceived>(client[0]);
        Assert.IsType<DataReceived>(client[1]);
        Assert.IsType<TrailersReceived>(client[2]);
        Assert.IsType<StreamEnded>(client[3]);
    }

    [Fact]
    public void InformationalResponses_PrecedeTheFinalOne()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [.. Post(), ("expect", "100-continue")]);
        pair.Exchange();
        pair.Server.SendHeaders(1, [(":status", "100")]);
        pair.Server.SendHeaders(1, [(":status", "103"), ("link", "</style.css>; rel=preload")]);
        pair.Server.SendHeaders(1, Ok(), endStream: true);
        (List<Event> client, _) = pair.Exchange();
        Assert.IsType<InformationalResponseReceived>(client[0]);
        var early = Assert.IsType<InformationalResponseReceived>(client[1]);
        Assert.Equal("103", early.Headers[0].Value);
        Assert.IsType<ResponseReceived>(client[2]);
        Assert.IsType<StreamEnded>(client[3]);
    }

    [Fact]
    public void InformationalResponseWithEndStream_IsRefusedLocally()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        Assert.Throws<ProtocolException>(() => pair.Server.SendHeaders(1, [(":status", "100")], endStream: true));
        Assert.Equal(0, pair.Server.OutboundDataLength);
    }

    [Fact]
    public void InformationalResponseWithEndStream_IsAStreamErrorWhenReceived()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Received();
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, [(":status", "103")], endStream: true));
        Assert.Equal(ErrorCode.ProtocolError, Assert.IsType<StreamReset>(Assert.Single(events)).ErrorCode);
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void TrailersWithoutEndStream_AreRefusedLocally_AndAStreamErrorWhenReceived()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        Assert.Throws<ProtocolException>(() => pair.Client.SendHeaders(1, [("x-t", "1")]));

        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, [("x-t", "1")]));
        Assert.IsType<StreamReset>(Assert.Single(events));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void ContentLengthMismatch_IsAStreamError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, [.. Post(), ("content-length", "10")]));
        IReadOnlyList<Event> events = peer.Send(Data(1, new byte[4], endStream: true));
        Assert.Equal(ErrorCode.ProtocolError, Assert.IsType<StreamReset>(Assert.Single(events)).ErrorCode);
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));

        peer.Send(peer.Headers(3, [.. Post(), ("content-length", "2")]));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Data(3, new byte[3]))));
    }

    [Fact]
    public void ContentLengthMatching_IsAccepted()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, [.. Post(), ("content-length", "10")]));
        IReadOnlyList<Event> events = peer.Send(Data(1, new byte[6]), Data(1, new byte[4], endStream: true));
        Assert.Equal(3, events.Count);
        Assert.IsType<StreamEnded>(events[2]);
    }

    [Theory]
    [InlineData("HEAD", "200")]
    [InlineData("GET", "204")]
    [InlineData("GET", "304")]
    public void ResponsesWithoutContent_IgnoreTheirContentLength(string method, string status)
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, [(":method", method), (":scheme", "https"), (":authority", "a"), (":path", "/")], endStream: true);
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, [(":status", status), ("content-length", "1234")], endStream: true));
        Assert.IsType<ResponseReceived>(events[0]);
        Assert.IsType<StreamEnded>(events[1]);
    }

    [Fact]
    public void DataBeforeTheFinalResponse_IsAStreamError()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Send(peer.Headers(1, [(":status", "100")]));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Data(1, [1, 2]))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    public static TheoryData<string, HeaderField[]> MalformedRequests() => new()
    {
        { "uppercase name", [.. Get(), ("X-Upper", "1")] },
        { "connection field", [.. Get(), ("connection", "keep-alive")] },
        { "transfer-encoding", [.. Get(), ("transfer-encoding", "chunked")] },
        { "keep-alive", [.. Get(), ("keep-alive", "1")] },
        { "upgrade", [.. Get(), ("upgrade", "h2c")] },
        { "proxy-connection", [.. Get(), ("proxy-connection", "1")] },
        { "te other than trailers", [.. Get(), ("te", "gzip")] },
        { "no :method", [(":scheme", "https"), (":authority", "a"), (":path", "/")] },
        { "no :path", [(":method", "GET"), (":scheme", "https"), (":authority", "a")] },
        { "no :scheme", [(":method", "GET"), (":authority", "a"), (":path", "/")] },
        { "empty :path", [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "")] },
        { "relative :path", [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "index.html")] },
        { "* :path without OPTIONS", [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "*")] },
        { "pseudo after regular", [(":method", "GET"), (":scheme", "https"), ("accept", "*/*"), (":authority", "a"), (":path", "/")] },
        { "duplicate pseudo", [.. Get(), (":path", "/again")] },
        { "unknown pseudo", [.. Get(), (":foo", "bar")] },
        { ":status in a request", [.. Get(), (":status", "200")] },
        { "CONNECT with :path", [(":method", "CONNECT"), (":authority", "a:443"), (":path", "/")] },
        { "CONNECT without :authority", [(":method", "CONNECT")] },
        { ":protocol without extended CONNECT", [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":authority", "a"), (":path", "/chat")] },
        { ":protocol with GET", [.. Get(), (":protocol", "websocket")] },
        { "userinfo in :authority", [(":method", "GET"), (":scheme", "https"), (":authority", "user@a"), (":path", "/")] },
        { "host differs from :authority", [.. Get(), ("host", "other.example")] },
        { "second host differs", [.. Get(), ("host", "example.com"), ("host", "evil.example.com")] },
        { "second host differs, first does not match", [.. Get(), ("host", "evil.example.com"), ("host", "example.com")] },
        { "two hosts that differ, no :authority", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("host", "a"), ("host", "b")] },
        { "https without :authority or host", [(":method", "GET"), (":scheme", "https"), (":path", "/")] },
        { "http without :authority or host", [(":method", "POST"), (":scheme", "http"), (":path", "/")] },
        { "OPTIONS * without :authority or host", [(":method", "OPTIONS"), (":scheme", "https"), (":path", "*")] },
        { "empty :authority and no host", [(":method", "GET"), (":scheme", "https"), (":authority", ""), (":path", "/")] },
        { "empty host and no :authority", [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("host", "")] },
        { "NUL in value", [.. Get(), ("x-a", "a\0b")] },
        { "CR in value", [.. Get(), ("x-a", "a\rb")] },
        { "LF in value", [.. Get(), ("x-a", "a\nb")] },
        { "leading space in value", [.. Get(), ("x-a", " a")] },
        { "trailing tab in value", [.. Get(), ("x-a", "a\t")] },
        { "space in name", [.. Get(), ("x a", "1")] },
        { "colon inside name", [.. Get(), ("x:a", "1")] },
        { "empty name", [.. Get(), ("", "1")] },
        { "non-ASCII name", [.. Get(), ("x-\u00e9", "1")] },
        { "bad content-length", [.. Get(), ("content-length", "12a")] },
        { "conflicting content-length", [.. Get(), ("content-length", "1"), ("content-length", "2")] },
        { "invalid :method value", [(":method", "GE T\r"), (":scheme", "https"), (":authority", "a"), (":path", "/")] },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void MalformedRequest_IsAStreamError_AndTheConnectionLivesOn(string description, HeaderField[] headers)
    {
        RawPeer peer = ForServer();
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, headers, endStream: true));
        Assert.Empty(events);
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed, description);

        // The HPACK context is still in step: the next request on the connection works.
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(3, Get(), endStream: true))[0]);
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void MalformedRequest_IsRefusedBeforeEncoding(string description, HeaderField[] headers)
    {
        if (description is "uppercase name" or "leading space in value" or "trailing tab in value")
        {
            // Normalization lowercases names and trims values before validation.
            return;
        }

        var pair = new ConnectionPair();
        Assert.ThrowsAny<Exception>(() => pair.Client.SendHeaders(1, headers, endStream: true));
        Assert.Equal(0, pair.Client.OutboundDataLength);

        // Nothing was encoded, so the compression state still matches the server's.
        pair.Client.SendHeaders(1, Get(), endStream: true);
        Assert.IsType<RequestReceived>(pair.Exchange().Server[0]);
    }

    public static TheoryData<string, HeaderField[]> ValidRequests() => new()
    {
        { "OPTIONS *", [(":method", "OPTIONS"), (":scheme", "https"), (":authority", "a"), (":path", "*")] },
        { "CONNECT", [(":method", "CONNECT"), (":authority", "a.example:443")] },
        { "te trailers", [.. Get(), ("te", "trailers")] },
        { "matching host", [.. Get(), ("host", "EXAMPLE.com")] },
        { "host instead of :authority", [(":method", "GET"), (":scheme", "https"), (":path", "/"), ("host", "example.com")] },
        { "host instead of :authority, OPTIONS *", [(":method", "OPTIONS"), (":scheme", "http"), (":path", "*"), ("host", "a")] },
        { "repeated equal host", [.. Get(), ("host", "example.com"), ("host", "Example.COM")] },
        { "other scheme, no authority", [(":method", "GET"), (":scheme", "urn"), (":path", "x")] },
        { "other scheme, any path", [(":method", "GET"), (":scheme", "urn"), (":authority", "a"), (":path", "x")] },
        { "octets above 0x7f in a value", [.. Get(), ("x-a", "caf\u00e9")] },
        { "repeated equal content-length", [.. Post(), ("content-length", "0"), ("content-length", "0")] },
    };

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void ValidRequest_IsAccepted(string description, HeaderField[] headers)
    {
        RawPeer peer = ForServer();
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(1, headers, endStream: true))[0]);
        Assert.False(peer.Connection.IsClosed, description);
    }

    [Fact]
    public void ExtendedConnect_IsAcceptedWhenEnabled()
    {
        RawPeer peer = ForServer(new H2Configuration { EnableConnectProtocol = true });
        HeaderField[] request = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":authority", "a"), (":path", "/chat")];
        Assert.IsType<RequestReceived>(Assert.Single(peer.Send(peer.Headers(1, request))));

        // The client may send it once the server has enabled it.
        RawPeer client = ForClient(null, new Setting(SettingCode.EnableConnectProtocol, 1));
        client.Connection.SendHeaders(1, request);
        RawPeer plain = ForClient();
        Assert.Throws<InvalidHeaderException>(() => plain.Connection.SendHeaders(1, request));
    }

    public static TheoryData<string, HeaderField[]> MalformedResponses() => new()
    {
        { "no :status", [("server", "x")] },
        { "two-digit :status", [(":status", "20")] },
        { "letters in :status", [(":status", "2xx")] },
        { "leading zero :status", [(":status", "099")] },
        { "101", [(":status", "101")] },
        { "request pseudo in response", [(":status", "200"), (":path", "/")] },
        { "duplicate :status", [(":status", "200"), (":status", "200")] },
    };

    [Theory]
    [MemberData(nameof(MalformedResponses))]
    public void MalformedResponse_IsAStreamError(string description, HeaderField[] headers)
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Received();
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, headers, endStream: true));
        Assert.Equal(ErrorCode.ProtocolError, Assert.IsType<StreamReset>(Assert.Single(events)).ErrorCode);
        Assert.False(peer.Connection.IsClosed, description);
    }

    [Fact]
    public void PseudoHeadersInTrailers_AreAStreamError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(peer.Headers(1, [(":path", "/")], endStream: true))));
    }

    [Fact]
    public void InboundValidationOff_PassesMalformedHeadersThrough()
    {
        RawPeer peer = ForServer(new H2Configuration { ValidateInboundHeaders = false });
        var request = Assert.IsType<RequestReceived>(peer.Send(peer.Headers(1, [.. Get(), ("connection", "close"), ("X-Up", "1")], endStream: true))[0]);
        Assert.Contains(new HeaderField("X-Up", "1"), request.Headers);
    }

    [Fact]
    public void OutboundValidationOff_SendsWhatItIsGiven()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, ValidateOutboundHeaders = false }, new H2Configuration { ValidateInboundHeaders = false });
        pair.Client.SendHeaders(1, [.. Get(), ("connection", "close")], endStream: true);
        Assert.Contains(new HeaderField("connection", "close"), Assert.IsType<RequestReceived>(pair.Exchange().Server[0]).Headers);
    }

    [Fact]
    public void CookieCrumbs_AreJoinedOnReceipt()
    {
        RawPeer peer = ForServer();
        var request = Assert.IsType<RequestReceived>(peer.Send(peer.Headers(1, [.. Get(), ("cookie", "a=1"), ("accept", "*/*"), ("cookie", "b=2")], endStream: true))[0]);
        Assert.Equal([.. Get(), ("cookie", "a=1; b=2"), ("accept", "*/*")], request.Headers.Select(h => h with { Sensitive = false }));

        RawPeer raw = ForServer(new H2Configuration { NormalizeInboundHeaders = false });
        var unjoined = Assert.IsType<RequestReceived>(raw.Send(raw.Headers(1, [.. Get(), ("cookie", "a=1"), ("cookie", "b=2")], endStream: true))[0]);
        Assert.Equal(2, unjoined.Headers.Count(h => h.Name == "cookie"));
    }

    [Fact]
    public void OutboundCookies_AreSplitWhenAsked()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, SplitOutboundCookies = true }, new H2Configuration { NormalizeInboundHeaders = false });
        pair.Client.SendHeaders(1, [.. Get(), ("cookie", "a=1; b=2; c=3")], endStream: true);
        var request = Assert.IsType<RequestReceived>(pair.Exchange().Server[0]);
        Assert.Equal(["a=1", "b=2", "c=3"], request.Headers.Where(h => h.Name == "cookie").Select(h => h.Value));
    }

    [Fact]
    public void OutboundNormalization_LowercasesNamesAndTrimsValues()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [.. Get(), ("X-Custom", "  padded\t")], endStream: true);
        Assert.Contains(new HeaderField("x-custom", "padded"), Assert.IsType<RequestReceived>(pair.Exchange().Server[0]).Headers);

        var strict = new ConnectionPair(new H2Configuration { ClientSide = true, NormalizeOutboundHeaders = false });
        Assert.Throws<InvalidHeaderException>(() => strict.Client.SendHeaders(1, [.. Get(), ("X-Custom", "1")]));
    }

    [Fact]
    public void HeaderFieldsAboveLatin1_AreRejectedLocally()
    {
        var pair = new ConnectionPair();
        Assert.Throws<ArgumentException>(() => pair.Client.SendHeaders(1, [.. Get(), ("x-snow", "\u2603")]));
        Assert.Throws<ArgumentException>(() => pair.Client.SendHeaders(1, [.. Get(), new HeaderField("x-null", null!)]));
        Assert.Equal(0, pair.Client.OutboundDataLength);
    }

    [Fact]
    public void PeersMaxHeaderListSize_IsEnforcedOnSending()
    {
        RawPeer peer = ForClient(null, new Setting(SettingCode.MaxHeaderListSize, 200));
        Assert.Throws<InvalidHeaderException>(() => peer.Connection.SendHeaders(1, [.. Get(), ("x-big", new string('a', 200))]));
        Assert.Empty(peer.Received());
        peer.Connection.SendHeaders(1, Get(), endStream: true);
    }

    [Fact]
    public void OversizedHeaderList_IsAnswered431_AndTheContextSurvives()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxHeaderListSize = 200 });
        Assert.Empty(peer.Send(peer.Headers(1, [.. Get(), ("x-big", new string('a', 100))], endStream: true)));
        var answer = Assert.Single(peer.Received().OfType<HeadersFrame>());
        Assert.True(answer.EndStream);
        Assert.Equal(new HeaderField(":status", "431"), Assert.Single(new HpackDecoder().Decode(answer.HeaderBlockFragment.Span)));
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(3, Get(), endStream: true))[0]);
    }

    [Fact]
    public void OversizedTrailers_AreAStreamError_AndTheContextSurvives()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxHeaderListSize = 200 });
        peer.Send(peer.Headers(1, Post()));
        peer.Received();
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(peer.Headers(1, [("x-big", new string('a', 200))], endStream: true))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(3, Get(), endStream: true))[0]);
    }

    [Fact]
    public void PriorityOnHeaders_IsLinkedToTheRequest()
    {
        RawPeer peer = ForServer();
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, Get(), endStream: true, priority: new StreamPriority(0, 200, exclusive: true)));
        var request = Assert.IsType<RequestReceived>(events[0]);
        Assert.IsType<StreamEnded>(events[1]);
        var priority = Assert.IsType<PriorityUpdated>(events[2]);
        Assert.Same(priority, request.PriorityUpdated);
        Assert.Equal(200, priority.Weight);
        Assert.True(priority.Exclusive);
    }

    [Fact]
    public void HeadersDependingOnThemselves_AreAStreamError()
    {
        RawPeer peer = ForServer();
        IReadOnlyList<Event> events = peer.Send(peer.Headers(1, Get(), priority: new StreamPriority(1)));
        Assert.IsType<StreamReset>(events[^1]);
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
    }

    [Fact]
    public void ClientSendsPriorityWithHeaders()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true, priority: new StreamPriority(0, 32));
        Assert.Equal(32, Assert.IsType<RequestReceived>(pair.Exchange().Server[0]).PriorityUpdated!.Weight);
    }

    [Fact]
    public void LargeHeaderBlocks_UseContinuationFramesBothWays()
    {
        var pair = new ConnectionPair(
            new H2Configuration { ClientSide = true, MaxHeaderListSize = 1 << 20 },
            new H2Configuration { MaxHeaderListSize = 1 << 20, MaxContinuationFrames = 20 });
        HeaderField[] big = [.. Get(), .. Enumerable.Range(0, 40).Select(i => new HeaderField($"x-h{i}", new string((char)('a' + (i % 26)), 1000)))];
        pair.Client.SendHeaders(1, big, endStream: true);
        Assert.Equal(big, Assert.IsType<RequestReceived>(pair.Exchange().Server[0]).Headers);
    }

    [Fact]
    public void HeadersDependingOnThemselves_AreRefusedLocally()
    {
        var pair = new ConnectionPair();
        Assert.Throws<ArgumentException>(() => pair.Client.SendHeaders(1, Get(), priority: new StreamPriority(1)));
        Assert.Equal(0, pair.Client.OutboundDataLength);
    }
}
