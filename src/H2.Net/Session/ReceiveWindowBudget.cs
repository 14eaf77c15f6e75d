namespace H2.Net.Session;

/// <summary>
/// Receive window that connections may take beyond their first 65,535 octets, shared by all the
/// connections of a server: what a peer may make us buffer, summed over every connection, stays
/// under <see cref="Limit"/> plus 65,535 octets per connection. Thread-safe.
/// </summary>
internal sealed class ReceiveWindowBudget(long limit)
{
    private long _available = limit;

    /// <summary>The whole budget.</summary>
    public long Limit { get; } = limit;

    /// <summary>Takes up to <paramref name="wanted"/> octets; returns how many were granted (maybe 0).</summary>
    public int TryTake(int wanted)
    {
        while (true)
        {
            long available = Interlocked.Read(ref _available);
            int granted = (int)Math.Min(wanted, Math.Max(0, available));
            if (granted == 0 || Interlocked.CompareExchange(ref _available, available - granted, available) == available)
            {
                return granted;
            }
        }
    }

    /// <summary>Gives octets back, when a connection that held them closes.</summary>
    public void Return(int octets) => Interlocked.Add(ref _available, octets);
}
