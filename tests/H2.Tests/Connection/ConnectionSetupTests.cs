using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class ConnectionSetupTests
{
    [Fact]
    public void ClientPreface_IsTheMagicThenSettingsFromTheConfiguration()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true, InitialWindowSize = 1 << 20, MaxConcurrentStreams = 7, HeaderTableSize = 8192, MaxFrameSize = 32768 });
        client.InitiateConnection();
        byte[] bytes = client.DataToSend();
        Assert.Equal(FrameReader.ClientPreface.ToArray(), bytes[..24]);
        var settings = Assert.IsType<SettingsFrame>(FrameFactoryRead(bytes[24..]).Single());
        Assert.Contains(new Setting(SettingCode.InitialWindowSize, 1 << 20), settings.Settings);
        Assert.Contains(new Setting(SettingCode.MaxConcurrentStreams, 7), settings.Settings);
        Assert.Contains(new Setting(SettingCode.HeaderTableSize, 8192), settings.Settings);
        Assert.Contains(new Setting(SettingCode.MaxFrameSize, 32768), settings.Settings);
        Assert.Contains(new Setting(SettingCode.EnablePush, 0), settings.Settings);
        Assert.Equal(1, client.LocalSettings.PendingCount);
        Assert.Equal(65535, client.LocalSettings.InitialWindowSize); // not yet acknowledged
    }

    [Fact]
    public void ServerPreface_IsSettingsWithoutEnablePush()
    {
        var server = new H2Connection(new H2Configuration { EnableConnectProtocol = true, NoRfc7540Priorities = true });
        server.InitiateConnection();
        var settings = Assert.IsType<SettingsFrame>(FrameFactoryRead(server.DataToSend()).Single());
        Assert.DoesNotContain(settings.Settings, s => s.Code == SettingCode.EnablePush);
        Assert.Contains(new Setting(SettingCode.EnableConnectProtocol, 1), settings.Settings);
        Assert.Contains(new Setting(SettingCode.NoRfc7540Priorities, 1), settings.Settings);
    }

    [Fact]
    public void InitiatingTwice_Throws()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        Assert.Throws<InvalidOperationException>(server.InitiateConnection);
    }

    [Fact]
    public void SettingsExchange_ReportsBothSidesAndAppliesOnAcknowledgement()
    {
        var pair = new ConnectionPair(
            new H2Configuration { ClientSide = true, InitialWindowSize = 100_000 },
            new H2Configuration { MaxConcurrentStreams = 50 },
            initiate: false);
        pair.Client.InitiateConnection();
        pair.Server.InitiateConnection();
        (List<Event> client, List<Event> server) = pair.Exchange();

        var remote = Assert.Single(server.OfType<RemoteSettingsChanged>());
        Assert.Equal(100_000u, remote.ChangedSettings[SettingCode.InitialWindowSize].NewValue);
        Assert.Equal(65535u, remote.ChangedSettings[SettingCode.InitialWindowSize].OriginalValue);
        Assert.Single(server.OfType<SettingsAcknowledged>());
        Assert.Single(client.OfType<RemoteSettingsChanged>());
        var acknowledged = Assert.Single(client.OfType<SettingsAcknowledged>());
        Assert.Equal(100_000u, acknowledged.ChangedSettings[SettingCode.InitialWindowSize].NewValue);

        Assert.Equal(100_000, pair.Client.LocalSettings.InitialWindowSize);
        Assert.Equal(100_000, pair.Server.RemoteSettings.InitialWindowSize);
        Assert.Equal(50u, pair.Client.RemoteSettings.MaxConcurrentStreams);
        Assert.Equal(0, pair.Client.LocalSettings.PendingCount);
    }

    [Fact]
    public void EachSettingsFrame_TakesEffectOnItsOwnAcknowledgement()
    {
        RawPeer peer = ForClient();
        peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.MaxFrameSize] = 20000 });
        peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.MaxFrameSize] = 30000 });
        Assert.Equal(2, peer.Connection.LocalSettings.PendingCount);

        var first = Assert.IsType<SettingsAcknowledged>(Assert.Single(peer.Send(Write(SettingsFrame.WriteAck))));
        Assert.Equal(20000u, first.ChangedSettings[SettingCode.MaxFrameSize].NewValue);
        Assert.Equal(20000, peer.Connection.MaxInboundFrameSize);

        peer.Send(Write(SettingsFrame.WriteAck));
        Assert.Equal(30000, peer.Connection.MaxInboundFrameSize);
        Assert.Empty(peer.Send(Write(SettingsFrame.WriteAck))); // nothing pending: ignored
    }

    [Fact]
    public void RemoteSettings_AreAcknowledgedAtOnce()
    {
        RawPeer peer = ForServer();
        IReadOnlyList<Event> events = peer.Send(Write(w => SettingsFrame.Write(w, [new(SettingCode.MaxFrameSize, 65536)])));
        Assert.IsType<RemoteSettingsChanged>(Assert.Single(events));
        Assert.True(Assert.IsType<SettingsFrame>(Assert.Single(peer.Received())).Ack);
        Assert.Equal(65536, peer.Connection.MaxOutboundFrameSize);
    }

    [Theory]
    [InlineData(SettingCode.EnablePush, 2u, ErrorCode.ProtocolError)]
    [InlineData(SettingCode.InitialWindowSize, 0x80000000u, ErrorCode.FlowControlError)]
    [InlineData(SettingCode.MaxFrameSize, 16383u, ErrorCode.ProtocolError)]
    [InlineData(SettingCode.MaxFrameSize, 16777216u, ErrorCode.ProtocolError)]
    [InlineData(SettingCode.EnableConnectProtocol, 2u, ErrorCode.ProtocolError)]
    [InlineData(SettingCode.NoRfc7540Priorities, 2u, ErrorCode.ProtocolError)]
    public void InvalidRemoteSetting_IsAConnectionError(SettingCode code, uint value, ErrorCode expected)
    {
        RawPeer peer = ForServer();
        ProtocolException error = peer.SendExpectingError(Write(w => SettingsFrame.Write(w, [new(code, value)])));
        Assert.IsType<InvalidSettingsValueException>(error);
        Assert.Equal(expected, error.ErrorCode);
        Assert.Equal(expected, peer.GoAway().ErrorCode);
        Assert.True(peer.Connection.IsClosed);
    }

    [Fact]
    public void ServerAnnouncingEnablePush_IsAProtocolError()
    {
        RawPeer peer = ForClient();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => SettingsFrame.Write(w, [new(SettingCode.EnablePush, 1)]))).ErrorCode);
    }

    [Fact]
    public void EnableConnectProtocol_CannotBeWithdrawn()
    {
        RawPeer peer = ForServer(null, new Setting(SettingCode.EnableConnectProtocol, 1));
        Assert.True(peer.Connection.RemoteSettings.EnableConnectProtocol);
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => SettingsFrame.Write(w, [new(SettingCode.EnableConnectProtocol, 0)]))).ErrorCode);
    }

    [Fact]
    public void UnknownSettings_AreKeptAndIgnored()
    {
        RawPeer peer = ForServer(null, new Setting((SettingCode)0x4242, 7));
        Assert.Equal(7u, peer.Connection.RemoteSettings[(SettingCode)0x4242]);
    }

    [Theory]
    [InlineData(SettingCode.EnablePush, 2u)]
    [InlineData(SettingCode.InitialWindowSize, 0x80000000u)]
    [InlineData(SettingCode.MaxFrameSize, 100u)]
    [InlineData(SettingCode.EnableConnectProtocol, 5u)]
    public void InvalidLocalSetting_ThrowsAndQueuesNothing(SettingCode code, uint value)
    {
        RawPeer peer = ForServer();
        Assert.Throws<InvalidSettingsValueException>(() => peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [code] = value }));
        Assert.Empty(peer.Received());
        Assert.Equal(0, peer.Connection.LocalSettings.PendingCount);
    }

    [Fact]
    public void ServerCannotEnablePushForItself()
    {
        RawPeer peer = ForServer();
        Assert.Throws<InvalidSettingsValueException>(() => peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.EnablePush] = 1 }));
    }

    [Fact]
    public void WithdrawingOurExtendedConnect_Throws()
    {
        var server = new H2Connection(new H2Configuration { EnableConnectProtocol = true });
        server.InitiateConnection();
        Assert.Throws<InvalidSettingsValueException>(() => server.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.EnableConnectProtocol] = 0 }));
    }

    [Fact]
    public void FirstFrameOtherThanSettings_IsAProtocolError()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        var error = Assert.ThrowsAny<ProtocolException>(() => server.ReceiveData([.. FrameReader.ClientPreface, .. new PingFrame(new byte[8]).ToArray()]));
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
        Assert.Equal("The first frame must be SETTINGS, not PING.", error.Message);

        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        Assert.ThrowsAny<ProtocolException>(() => client.ReceiveData(Write(SettingsFrame.WriteAck)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SettingsAckAsTheFirstFrame_IsReportedAsSuch(bool clientSide)
    {
        var connection = new H2Connection(new H2Configuration { ClientSide = clientSide });
        connection.InitiateConnection();
        byte[] input = clientSide ? Write(SettingsFrame.WriteAck) : [.. FrameReader.ClientPreface, .. Write(SettingsFrame.WriteAck)];
        ProtocolException error = Assert.ThrowsAny<ProtocolException>(() => connection.ReceiveData(input));
        Assert.Equal("The first frame must be SETTINGS, not a SETTINGS ACK.", error.Message);
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
    }

    [Fact]
    public void ExtensionFrameAsTheFirstFrame_IsReportedByItsType()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        ProtocolException error = Assert.ThrowsAny<ProtocolException>(() => server.ReceiveData([.. FrameReader.ClientPreface, .. Write(w => UnknownFrame.Write(w, (FrameType)0xb, 0, 0, []))]));
        Assert.Equal("The first frame must be SETTINGS, not a frame of type 0xb.", error.Message);
    }

    [Fact]
    public void BadPreface_IsAProtocolErrorWithGoAway()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        server.DataToSend();
        var error = Assert.ThrowsAny<ProtocolException>(() => server.ReceiveData("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8));
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
        Assert.Equal(ErrorCode.ProtocolError, Assert.IsType<GoAwayFrame>(FrameFactoryRead(server.DataToSend()).Single()).ErrorCode);
    }

    [Fact]
    public void EventsBeforeAConnectionError_AreCarriedOnTheException()
    {
        RawPeer peer = ForServer();
        ProtocolException error = peer.SendExpectingError(
            Write(w => PingFrame.Write(w, "12345678"u8)),
            peer.Headers(1, Get(), endStream: true),
            Write(w => UnknownFrame.Write(w, FrameType.Data, 0, 0, [0])));
        Assert.Collection(
            error.Events,
            e => Assert.IsType<PingReceived>(e),
            e => Assert.IsType<RequestReceived>(e),
            e => Assert.IsType<StreamEnded>(e));
    }

    [Fact]
    public void AfterAConnectionError_InputIsIgnoredAndActionsThrow()
    {
        RawPeer peer = ForServer();
        peer.SendExpectingError(Write(w => UnknownFrame.Write(w, FrameType.Data, 0, 0, [0])));
        peer.Received();
        Assert.Empty(peer.Send(Write(w => PingFrame.Write(w, "12345678"u8)), Write(w => UnknownFrame.Write(w, FrameType.Data, 0, 0, [0]))));
        Assert.Empty(peer.Received());
        Assert.Throws<ProtocolException>(() => peer.Connection.Ping("12345678"u8));
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(2, Ok()));
        peer.Connection.CloseConnection(); // a no-op once closed
        peer.Connection.AcknowledgeReceivedData(10); // a no-op once closed
        Assert.Empty(peer.Received());
    }

    [Fact]
    public void HpackFailure_IsACompressionError()
    {
        RawPeer peer = ForServer();
        ProtocolException error = peer.SendExpectingError(Write(w => HeadersFrame.Write(w, 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 16384)));
        Assert.Equal(ErrorCode.CompressionError, error.ErrorCode);
        Assert.IsType<H2.Hpack.HpackDecodingException>(error.InnerException);
        Assert.Equal(ErrorCode.CompressionError, peer.GoAway().ErrorCode);
    }

    [Fact]
    public void InvalidConfiguration_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { MaxFrameSize = 1000 }));
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { InitialWindowSize = -1 }));
        Assert.Throws<ArgumentException>(() => new H2Connection(new H2Configuration { MaxClosedStreams = -1 }));
    }

    [Fact]
    public void Settings_ExposeTheRfcDefaults()
    {
        var connection = new H2Connection();
        Settings local = connection.LocalSettings;
        Assert.Equal(4096u, local.HeaderTableSize);
        Assert.True(local.EnablePush);
        Assert.Equal(Settings.Unlimited, local.MaxConcurrentStreams);
        Assert.Equal(65535, local.InitialWindowSize);
        Assert.Equal(16384, local.MaxFrameSize);
        Assert.Equal(Settings.Unlimited, local.MaxHeaderListSize);
        Assert.False(local.EnableConnectProtocol);
        Assert.False(local.NoRfc7540Priorities);
        Assert.Equal(8, local.Count);
        Assert.True(local.ContainsKey(SettingCode.MaxFrameSize));
        Assert.True(local.TryGetValue(SettingCode.MaxFrameSize, out uint size) && size == 16384);
        Assert.Equal(8, local.Keys.Count());
        Assert.Equal(8, local.Values.Count());
        Assert.Equal(8, local.AsEnumerable().Count(_ => true));
        Assert.Same(connection.Configuration, connection.Configuration);
    }

    private static List<Frame> FrameFactoryRead(byte[] bytes)
    {
        var collector = new FrameCollector();
        new FrameReader().Read(bytes, collector);
        return collector.Frames;
    }
}
