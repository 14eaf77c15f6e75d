namespace H2.Connection;

/// <summary>
/// The connection's budgets against abuse, in one place: the rate of resets a peer may send
/// (Rapid Reset), the rate of "glitches" (frames that cost us work and serve no purpose, and
/// stream errors the peer makes us send, as in MadeYouReset), and the reset streams whose work the
/// application has not finished, which keep counting against the concurrency limit.
/// </summary>
internal sealed class FloodDefence
{
    private readonly TimeProvider _time;
    private readonly bool _limitResets;
    private readonly bool _limitGlitches;
    private readonly HashSet<int> _held = [];
    private TokenBucket _resets;
    private TokenBucket _glitches;

    public FloodDefence(H2Configuration config)
    {
        _time = config.TimeProvider;
        long now = _time.GetTimestamp();
        long frequency = _time.TimestampFrequency;
        if (config.InboundResetRateLimit is RateLimit resets && !config.ClientSide)
        {
            _limitResets = true;
            _resets = new TokenBucket(resets, now, frequency);
        }

        if (config.GlitchRateLimit is RateLimit glitches)
        {
            _limitGlitches = true;
            _glitches = new TokenBucket(glitches, now, frequency);
        }
    }

    /// <summary>How many reset streams are held until the application completes their work.</summary>
    public int HeldStreams => _held.Count;

    /// <summary>Counts an RST_STREAM from the peer.</summary>
    /// <exception cref="DenialOfServiceException">The peer resets faster than the limit allows.</exception>
    public void CountInboundReset()
    {
        if (_limitResets && !_resets.TryTake(_time.GetTimestamp()))
        {
            // CVE-2023-44487: opening and at once resetting streams costs the peer nothing and us a
            // request's work each time.
            throw new DenialOfServiceException("The peer resets streams faster than allowed (Rapid Reset).");
        }
    }

    /// <summary>Counts one glitch.</summary>
    /// <param name="what">What happened, for the error message.</param>
    /// <exception cref="DenialOfServiceException">The glitch budget is spent.</exception>
    public void CountGlitch(string what)
    {
        if (_limitGlitches && !_glitches.TryTake(_time.GetTimestamp()))
        {
            throw new DenialOfServiceException($"Too many protocol glitches from the peer; the last: {what}.");
        }
    }

    /// <summary>Keeps a reset stream counting against the concurrency limit.</summary>
    public void Hold(int streamId) => _held.Add(streamId);

    /// <summary>Lets a held stream go; <see langword="false"/> if it was not held.</summary>
    public bool Release(int streamId) => _held.Remove(streamId);
}
