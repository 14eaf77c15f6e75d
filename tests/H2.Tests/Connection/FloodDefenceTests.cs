using H2.Connection;
using H2.Tests.Security;

namespace H2.Tests.Connection;

public class FloodDefenceTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void InboundResets_BeyondTheBudget_AreADenialOfService()
    {
        // CVE-2023-44487 (Rapid Reset).
        var defence = new FloodDefence(new H2Configuration { ClientSide = false, TimeProvider = _time, InboundResetRateLimit = new RateLimit(2, 1) });
        defence.CountInboundReset();
        defence.CountInboundReset();
        DenialOfServiceException error = Assert.Throws<DenialOfServiceException>(defence.CountInboundReset);
        Assert.Equal(ErrorCode.EnhanceYourCalm, error.ErrorCode);

        _time.Advance(TimeSpan.FromSeconds(1));
        defence.CountInboundReset();
    }

    [Fact]
    public void InboundResets_AreNotLimitedOnAClient()
    {
        var defence = new FloodDefence(new H2Configuration { ClientSide = true, TimeProvider = _time, InboundResetRateLimit = new RateLimit(1, 0) });
        for (int i = 0; i < 10; i++)
        {
            defence.CountInboundReset();
        }
    }

    [Fact]
    public void Glitches_BeyondTheBudget_NameTheLastOne()
    {
        var defence = new FloodDefence(new H2Configuration { TimeProvider = _time, GlitchRateLimit = new RateLimit(1, 0) });
        defence.CountGlitch("an empty DATA frame");
        DenialOfServiceException error = Assert.Throws<DenialOfServiceException>(() => defence.CountGlitch("a PRIORITY frame"));
        Assert.Contains("a PRIORITY frame", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoLimits_CountNothing()
    {
        var defence = new FloodDefence(new H2Configuration { TimeProvider = _time, InboundResetRateLimit = null, GlitchRateLimit = null });
        for (int i = 0; i < 100_000; i++)
        {
            defence.CountInboundReset();
            defence.CountGlitch("anything");
        }
    }

    [Fact]
    public void HeldStreams_AreCountedUntilReleased()
    {
        var defence = new FloodDefence(new H2Configuration { TimeProvider = _time });
        defence.Hold(1);
        defence.Hold(3);
        defence.Hold(3);
        Assert.Equal(2, defence.HeldStreams);
        Assert.True(defence.Release(1));
        Assert.False(defence.Release(1));
        Assert.Equal(1, defence.HeldStreams);
    }
}
