namespace H2.Connection;

/// <summary>
/// A token bucket over a <see cref="TimeProvider"/>'s timestamps: each event takes a token, tokens
/// refill at a steady rate up to the burst. The connection has no clock of its own, so time is
/// read only when an event is counted.
/// </summary>
internal struct TokenBucket
{
    private readonly double _capacity;
    private readonly double _tokensPerTick;
    private double _tokens;
    private long _last;

    public TokenBucket(RateLimit limit, long now, long ticksPerSecond)
    {
        _capacity = limit.Burst;
        _tokensPerTick = limit.PerSecond / ticksPerSecond;
        _tokens = limit.Burst;
        _last = now;
    }

    /// <summary>Takes one token; <see langword="false"/> when the bucket is empty.</summary>
    public bool TryTake(long now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _last) * _tokensPerTick));
            _last = now;
        }

        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
