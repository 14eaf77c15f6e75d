using H2.Connection;
using H2.Frames;

namespace H2.Tests.Connection;

public class SettingsExchangeTests
{
    [Fact]
    public void Initial_AnnouncesTheConfiguredLimits_AndOnlyNonDefaultsOfTheRest()
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = false });
        Setting[] settings = exchange.Initial();
        Assert.Contains(settings, s => s.Code == SettingCode.MaxConcurrentStreams);
        Assert.Contains(settings, s => s.Code == SettingCode.InitialWindowSize);
        Assert.Contains(settings, s => s.Code == SettingCode.MaxHeaderListSize);
        Assert.DoesNotContain(settings, s => s.Code == SettingCode.HeaderTableSize);
        Assert.DoesNotContain(settings, s => s.Code == SettingCode.MaxFrameSize);

        // RFC 9113 §6.5.2: a server never announces ENABLE_PUSH.
        Assert.DoesNotContain(settings, s => s.Code == SettingCode.EnablePush);
    }

    [Fact]
    public void Initial_OfAClient_SaysWhetherItTakesPushes()
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = true, EnablePush = false });
        Assert.Contains(new Setting(SettingCode.EnablePush, 0), exchange.Initial());
    }

    [Fact]
    public void OurSettings_TakeEffectOnlyWhenAcknowledged_OneFrameAtATime()
    {
        // RFC 9113 §6.5.3: each SETTINGS frame is acknowledged on its own, in order.
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = true });
        exchange.Sent([new Setting(SettingCode.MaxConcurrentStreams, 10)]);
        exchange.Sent([new Setting(SettingCode.MaxConcurrentStreams, 20)]);
        Assert.Equal(Settings.Unlimited, exchange.Local.MaxConcurrentStreams);
        Assert.Equal(20u, exchange.Local.Eventual(SettingCode.MaxConcurrentStreams));

        Dictionary<SettingCode, H2.Events.ChangedSetting>? first = exchange.Acknowledged();
        Assert.NotNull(first);
        Assert.Equal(10u, first[SettingCode.MaxConcurrentStreams].NewValue);
        Assert.Equal(10u, exchange.Local.MaxConcurrentStreams);
        Assert.NotNull(exchange.Acknowledged());
        Assert.Equal(20u, exchange.Local.MaxConcurrentStreams);
        Assert.Null(exchange.Acknowledged());
    }

    [Theory]
    [InlineData(SettingCode.EnablePush, 2u)]
    [InlineData(SettingCode.InitialWindowSize, 2147483648u)]
    [InlineData(SettingCode.MaxFrameSize, 16383u)]
    [InlineData(SettingCode.MaxFrameSize, 16777216u)]
    public void CheckUpdate_RefusesValuesTheRfcForbids(SettingCode code, uint value)
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = true });
        Assert.Throws<InvalidSettingsValueException>(() => exchange.CheckUpdate(new Dictionary<SettingCode, uint> { [code] = value }));
    }

    [Fact]
    public void CheckUpdate_RefusesPushOnAServer_AndWithdrawingExtendedConnect()
    {
        var server = new SettingsExchange(new H2Configuration { ClientSide = false, EnableConnectProtocol = true });
        Assert.Throws<InvalidSettingsValueException>(() => server.CheckUpdate(new Dictionary<SettingCode, uint> { [SettingCode.EnablePush] = 1 }));
        server.ApplyLocalNow(server.Initial());

        // RFC 8441 §3: once sent, SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 may not be taken back.
        Assert.Throws<InvalidSettingsValueException>(() => server.CheckUpdate(new Dictionary<SettingCode, uint> { [SettingCode.EnableConnectProtocol] = 0 }));
        Assert.Single(server.CheckUpdate(new Dictionary<SettingCode, uint> { [SettingCode.MaxConcurrentStreams] = 5 }));
    }

    [Fact]
    public void ReceiveRemote_AppliesTheFrameInOrder_AndReportsTheChanges()
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = true });
        Dictionary<SettingCode, H2.Events.ChangedSetting> changed = exchange.ReceiveRemote(
            [new Setting(SettingCode.InitialWindowSize, 100), new Setting(SettingCode.InitialWindowSize, 200)]);
        Assert.Equal(200, exchange.Remote.InitialWindowSize);
        Assert.Equal(200u, changed[SettingCode.InitialWindowSize].NewValue);
        Assert.Equal(65535u, changed[SettingCode.InitialWindowSize].OriginalValue);
    }

    [Fact]
    public void ReceiveRemote_RefusesBadValues_WithTheirErrorCode()
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = false });
        InvalidSettingsValueException window = Assert.Throws<InvalidSettingsValueException>(() => exchange.ReceiveRemote([new Setting(SettingCode.InitialWindowSize, 1u << 31)]));
        Assert.Equal(ErrorCode.FlowControlError, window.ErrorCode);
        InvalidSettingsValueException push = Assert.Throws<InvalidSettingsValueException>(() => exchange.ReceiveRemote([new Setting(SettingCode.EnablePush, 2)]));
        Assert.Equal(ErrorCode.ProtocolError, push.ErrorCode);
    }

    [Fact]
    public void ReceiveRemote_OnAClient_RefusesAServerThatOffersPush()
    {
        var exchange = new SettingsExchange(new H2Configuration { ClientSide = true });
        Assert.Throws<InvalidSettingsValueException>(() => exchange.ReceiveRemote([new Setting(SettingCode.EnablePush, 1)]));
    }

    [Fact]
    public void Http2SettingsHeader_RoundTrips_AsBase64Url()
    {
        // RFC 7540 §3.2.1: the payload of a SETTINGS frame, base64url without padding.
        Setting[] settings = [new Setting(SettingCode.MaxConcurrentStreams, 100), new Setting(SettingCode.InitialWindowSize, 0xFFFF_FFFE >> 1)];
        string header = SettingsExchange.EncodeHeader(settings);
        Assert.DoesNotContain('=', header);
        Assert.Equal(settings, SettingsExchange.DecodeHeader(header));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAMAAABk_w")]
    public void Http2SettingsHeader_ThatIsNotWholeSettings_IsRefused(string header)
    {
        Assert.Throws<ArgumentException>(() => SettingsExchange.DecodeHeader(header));
    }
}
