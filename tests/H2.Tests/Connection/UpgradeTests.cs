using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>HTTP/1.1 <c>Upgrade: h2c</c> (RFC 7540 §3.2): stream 1 carries the upgraded request.</summary>
public class UpgradeTests
{
    [Fact]
    public void UpgradedConnection_AnswersStreamOne()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true, InitialWindowSize = 1 << 20 });
        var server = new H2Connection();
        string settings = client.InitiateUpgradeConnection()!;
        Assert.DoesNotContain('=', settings);
        Assert.DoesNotContain('+', settings);

        Assert.Null(server.InitiateUpgradeConnection(settings));
        Assert.Equal(1 << 20, server.RemoteSettings.InitialWindowSize);
        Assert.Equal(1, server.OpenInboundStreams);
        Assert.Equal(1, client.OpenOutboundStreams);

        // The server answers the HTTP/1.1 request on stream 1, after the preface exchange.
        server.SendHeaders(1, Ok(), endStream: false);
        server.SendData(1, "upgraded"u8, endStream: true);
        List<Event> clientEvents = [.. client.ReceiveData(server.DataToSend())];
        server.ReceiveData(client.DataToSend());
        Assert.Contains(clientEvents, e => e is ResponseReceived { StreamId: 1 });
        Assert.Contains(clientEvents, e => e is DataReceived { StreamId: 1 });
        Assert.Contains(clientEvents, e => e is StreamEnded { StreamId: 1 });
        Assert.Equal(3, client.GetNextAvailableStreamId());

        // The client's own side of stream 1 is already closed.
        Assert.Throws<StreamClosedException>(() => client.SendData(1, [1]));
    }

    [Fact]
    public void ServerUpgrade_NeedsAValidSettingsHeader()
    {
        Assert.Throws<ArgumentNullException>(() => new H2Connection().InitiateUpgradeConnection());
        Assert.Throws<ArgumentException>(() => new H2Connection().InitiateUpgradeConnection("!!!"));
        Assert.Throws<ArgumentException>(() => new H2Connection().InitiateUpgradeConnection("AAEA"));
        Assert.Throws<InvalidSettingsValueException>(() => new H2Connection().InitiateUpgradeConnection("AAIAAAAC")); // ENABLE_PUSH = 2
        Assert.Null(new H2Connection().InitiateUpgradeConnection(""));
    }

    [Fact]
    public void UpgradedClient_UsesItsSettingsFromTheStart()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true, MaxFrameSize = 65535 });
        client.InitiateUpgradeConnection();
        Assert.Equal(65535, client.MaxInboundFrameSize);
        client.ReceiveData([.. Write(w => SettingsFrame.Write(w, [])), .. Write(w => HeadersFrame.Write(w, 1, new H2.Hpack.HpackEncoder().Encode(Ok()), 16384)), .. Data(1, new byte[30000], endStream: true)]);
        Assert.False(client.IsClosed);
    }

    [Fact]
    public void UpgradeAfterInitiation_ThrowsWithoutChangingState()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        Assert.Throws<InvalidOperationException>(() => client.InitiateUpgradeConnection());
        Assert.Equal(0, client.OpenOutboundStreams);
        Assert.Equal(1, client.GetNextAvailableStreamId());
    }

    [Fact]
    public void UpgradedHeadRequest_IsAnsweredWithHeadersAlone_ThoughTheyNameALength()
    {
        var server = new H2Connection();
        server.InitiateUpgradeConnection(string.Empty, "HEAD");
        server.SendHeaders(1, Ok(("content-length", "100")), endStream: true);
        Assert.Equal(0, server.OpenInboundStreams);
        Assert.False(server.IsClosed);
    }
}
