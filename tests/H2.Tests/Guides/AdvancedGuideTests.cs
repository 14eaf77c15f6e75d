using H2.Events;
using H2.Hpack;
using H2.Guides.Advanced;
using H2.Tests.Connection;

namespace H2.Tests.Guides;

/// <summary>The advanced guide's listings do what the guide says, against a client connection.</summary>
public class AdvancedGuideTests
{
    private static readonly HeaderField[] Get =
    [
        (":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/"),
    ];

    [Fact]
    public void EarlyHints_Body_AndTrailers_ArriveInOrder()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get, endStream: true);
        var request = (RequestReceived)pair.Exchange().Server.Single(e => e is RequestReceived);

        Responses.AnswerWithHintsAndTrailers(pair.Server, request, "hello"u8);
        List<Event> events = pair.Exchange().Client;

        Assert.Collection(
            events.Where(e => e is InformationalResponseReceived or ResponseReceived or DataReceived or TrailersReceived or StreamEnded),
            e => Assert.Equal("103", ((InformationalResponseReceived)e).Headers[0].Value),
            e => Assert.Equal("200", ((ResponseReceived)e).Headers[0].Value),
            e => Assert.Equal("hello"u8.ToArray(), ((DataReceived)e).Data.ToArray()),
            e => Assert.Equal(("grpc-status", "0"), (((TrailersReceived)e).Headers[0].Name, ((TrailersReceived)e).Headers[0].Value)),
            e => Assert.IsType<StreamEnded>(e));
    }

    [Fact]
    public void Push_GoesOnlyToClientsThatTakeIt()
    {
        var taking = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        taking.Client.SendHeaders(1, Get, endStream: true);
        var request = (RequestReceived)taking.Exchange().Server.Single(e => e is RequestReceived);
        Assert.True(Responses.PushStylesheet(taking.Server, request, "p{}"u8));
        PushedStreamReceived pushed = Assert.Single(taking.Exchange().Client.OfType<PushedStreamReceived>());
        Assert.Equal((2, 1), (pushed.PushedStreamId, pushed.ParentStreamId));

        var refusing = new ConnectionPair();
        refusing.Client.SendHeaders(1, Get, endStream: true);
        request = (RequestReceived)refusing.Exchange().Server.Single(e => e is RequestReceived);
        Assert.False(Responses.PushStylesheet(refusing.Server, request, "p{}"u8));
    }

    [Fact]
    public void ExtendedConnect_OpensATunnelThatCarriesDataBothWays()
    {
        var pair = new ConnectionPair(server: new H2Configuration { ClientSide = false, EnableConnectProtocol = true });
        int stream = Tunnels.OpenWebSocket(pair.Client, "example.com", "/chat");
        var request = (RequestReceived)pair.Exchange().Server.Single(e => e is RequestReceived);
        Assert.True(Tunnels.Accept(pair.Server, request));
        Assert.Contains(pair.Exchange().Client, e => e is ResponseReceived);

        pair.Client.SendData(stream, "ping"u8);
        pair.Server.SendData(stream, "pong"u8);
        (List<Event> client, List<Event> server) = pair.Exchange();
        Assert.Equal("ping"u8.ToArray(), server.OfType<DataReceived>().Single().Data.ToArray());
        Assert.Equal("pong"u8.ToArray(), client.OfType<DataReceived>().Single().Data.ToArray());
    }

    [Fact]
    public void ExtendedConnect_IsRefusedBeforeTheServerAllowsIt()
    {
        var pair = new ConnectionPair();
        Assert.Throws<InvalidOperationException>(() => Tunnels.OpenWebSocket(pair.Client, "example.com", "/chat"));
    }

    [Fact]
    public void ExtensionFrames_AndPriorityUpdates_ReachThePeer()
    {
        var pair = new ConnectionPair();
        ExtensionFrames.SendHeartbeat(pair.Client, "beat"u8);
        pair.Client.SendHeaders(1, Get, endStream: false);
        ExtensionFrames.Reprioritize(pair.Client, 1);
        List<Event> events = pair.Exchange().Server;

        Assert.Equal("beat"u8.ToArray(), events.Select(ExtensionFrames.ReadHeartbeat).Single(b => b is not null));
        PriorityUpdateReceived update = Assert.Single(events.OfType<PriorityUpdateReceived>());
        Assert.Equal(1, ExtensionFrames.Urgency(update.PriorityFieldValue));
        Assert.Equal(3, ExtensionFrames.Urgency("i"));
    }
}
