using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>Every event kind, reached through real traffic, describes itself.</summary>
public class EventTests
{
    [Fact]
    public void EveryEvent_HasAReadableDescription()
    {
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, EnablePush = true });
        pair.Client.SendHeaders(1, [.. Post(), ("content-length", "2")], priority: new StreamPriority(0, 10));
        pair.Client.SendData(1, [1, 2]);
        pair.Client.SendHeaders(1, [("x-t", "1")], endStream: true);
        pair.Client.Ping("abcdefgh"u8);
        pair.Client.SendPriorityUpdate(1, "u=1");
        pair.Client.Prioritize(3, 20, 1, exclusive: true);
        pair.Client.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.MaxFrameSize] = 20000 });
        pair.Exchange();
        pair.Server.PushStream(1, 2, Get("/p"));
        pair.Server.SendHeaders(1, [(":status", "103")]);
        pair.Server.SendHeaders(1, Ok());
        pair.Server.SendData(1, [1]);
        pair.Server.SendHeaders(1, [("x-t", "2")], endStream: true);
        pair.Server.AdvertiseAlternativeService("h2=\":1\"", origin: "https://a");
        pair.Server.SendOrigins(["https://a"]);
        pair.Server.SendExtensionFrame((FrameType)0xfa, 0, 0, [1]);
        pair.Server.ResetStream(2, ErrorCode.Cancel);
        pair.Client.IncrementFlowControlWindow(10);
        pair.Server.CloseConnection(ErrorCode.NoError, "done"u8);
        pair.Exchange();

        List<Event> all = [.. pair.ServerEvents, .. pair.ClientEvents];
        string[] expected =
        [
            "RequestReceived(stream 1, 5 headers)", "PriorityUpdated(stream 1, weight 10, on 0)", "DataReceived(stream 1, 2 octets)",
            "TrailersReceived(stream 1, 1 headers, ended)", "StreamEnded(stream 1)", "PingReceived(6162636465666768)",
            "PriorityUpdateReceived(stream 1, \"u=1\")", "PriorityUpdated(stream 3, weight 20, on 1, exclusive)",
            "RemoteSettingsChanged(MaxFrameSize=20000)", "PushedStreamReceived(stream 2 on 1)", "InformationalResponseReceived(stream 1, 1 headers)",
            "ResponseReceived(stream 1, 1 headers)", "StreamReset(stream 2, Cancel, by peer)", "AlternativeServiceAvailable(https://a: h2=\":1\")",
            "OriginReceived(https://a)", "UnknownFrameReceived(type 0xfa, stream 0, 1 octets)", "WindowUpdated(stream 0, +10)",
            "ConnectionTerminated(NoError, last stream 1)", "PingAckReceived(6162636465666768)", "SettingsAcknowledged(1 settings)",
        ];
        string[] descriptions = [.. all.Select(e => e.ToString()!)];
        foreach (string description in expected)
        {
            Assert.Contains(description, descriptions);
        }

        Assert.Null(all.OfType<InformationalResponseReceived>().Single().PriorityUpdated);
        Assert.Null(all.OfType<TrailersReceived>().First().PriorityUpdated);
        Assert.Null(all.OfType<ResponseReceived>().First().StreamEnded);
        Assert.Null(all.OfType<ResponseReceived>().First().PriorityUpdated);
        Assert.Contains(all.OfType<StreamReset>(), r => r.ToString().EndsWith("by peer)", StringComparison.Ordinal));
    }

    [Fact]
    public void LocallyCausedResets_SayBy_Us()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        var reset = Assert.IsType<StreamReset>(Assert.Single(peer.Send(Data(1, [1]))));
        Assert.Equal("StreamReset(stream 1, StreamClosed, by us)", reset.ToString());
    }
}
