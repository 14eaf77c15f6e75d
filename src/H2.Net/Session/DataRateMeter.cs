namespace H2.Net.Session;

/// <summary>
/// Times one direction of a stream's body while the application waits on the peer, and counts
/// the octets that moved, for <see cref="MinDataRate"/>. Only waiting counts: a slow application
/// is not the peer's fault. Used under the session lock; a mutable struct kept in a field and
/// used in place, so a stream carries no extra object for it.
/// </summary>
internal struct DataRateMeter
{
    private long _waitingSince;
    private long _waitedMs;
    private long _bytes;

    /// <summary>Counts octets that moved.</summary>
    public void Add(int bytes) => _bytes += bytes;

    /// <summary>The application starts waiting on the peer.</summary>
    public void BeginWait(long now)
    {
        if (_waitingSince == 0)
        {
            _waitingSince = now;
        }
    }

    /// <summary>The wait is over.</summary>
    public void EndWait(long now)
    {
        if (_waitingSince != 0)
        {
            _waitedMs += now - _waitingSince;
            _waitingSince = 0;
        }
    }

    /// <summary>How long the application has been waiting on the peer without a break, in milliseconds (0 when it is not waiting).</summary>
    public readonly long WaitingFor(long now) => _waitingSince == 0 ? 0 : now - _waitingSince;

    /// <summary>Whether the application is waiting now and the peer has been slower than <paramref name="rate"/>.</summary>
    public readonly bool IsBelow(MinDataRate rate, long now)
    {
        if (_waitingSince == 0)
        {
            return false;
        }

        long waited = _waitedMs + (now - _waitingSince);
        return waited > rate.GracePeriod.TotalMilliseconds && _bytes < rate.BytesPerSecond * waited / 1000.0;
    }
}
