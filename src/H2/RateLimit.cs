namespace H2;

/// <summary>
/// A token bucket: up to <paramref name="Burst"/> events at once, refilled at
/// <paramref name="PerSecond"/> a second. Used for the protective rate limits of
/// <see cref="H2Configuration"/>; time comes from <see cref="H2Configuration.TimeProvider"/>.
/// </summary>
/// <param name="Burst">How many events may come back to back; at least 1.</param>
/// <param name="PerSecond">How fast the allowance refills, in events per second; 0 or more.</param>
public readonly record struct RateLimit(int Burst, double PerSecond);
