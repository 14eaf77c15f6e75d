using H2.Connection;

namespace H2.Tests.Connection;

public class TokenBucketTests
{
    private const long TicksPerSecond = 1000;

    [Fact]
    public void FullBucket_AllowsTheBurst_ThenRefuses()
    {
        var bucket = new TokenBucket(new RateLimit(3, 1), now: 0, TicksPerSecond);
        Assert.True(bucket.TryTake(0));
        Assert.True(bucket.TryTake(0));
        Assert.True(bucket.TryTake(0));
        Assert.False(bucket.TryTake(0));
    }

    [Fact]
    public void Tokens_RefillAtTheRate()
    {
        var bucket = new TokenBucket(new RateLimit(1, 2), now: 0, TicksPerSecond);
        Assert.True(bucket.TryTake(0));
        Assert.False(bucket.TryTake(250));
        Assert.True(bucket.TryTake(500));
        Assert.False(bucket.TryTake(500));
    }

    [Fact]
    public void Refill_StopsAtTheBurst()
    {
        var bucket = new TokenBucket(new RateLimit(2, 100), now: 0, TicksPerSecond);
        Assert.True(bucket.TryTake(1_000_000));
        Assert.True(bucket.TryTake(1_000_000));
        Assert.False(bucket.TryTake(1_000_000));
    }

    [Fact]
    public void ZeroRate_NeverRefills()
    {
        var bucket = new TokenBucket(new RateLimit(1, 0), now: 0, TicksPerSecond);
        Assert.True(bucket.TryTake(0));
        Assert.False(bucket.TryTake(long.MaxValue / 2));
    }

    [Fact]
    public void TimeGoingBackwards_AddsNothing()
    {
        var bucket = new TokenBucket(new RateLimit(1, 1000), now: 1000, TicksPerSecond);
        Assert.True(bucket.TryTake(1000));
        Assert.False(bucket.TryTake(10));
    }
}
