namespace H2.Connection;

/// <summary>
/// A send-side flow-control window (RFC 9113 §6.9): how much DATA the peer lets us send. It grows
/// with the peer's WINDOW_UPDATE frames, shrinks as we send, and shifts when the peer changes
/// SETTINGS_INITIAL_WINDOW_SIZE, which may leave it negative (§6.9.2). It never exceeds 2^31-1.
/// </summary>
internal struct OutboundWindow(long size)
{
    /// <summary>The largest window RFC 9113 §6.9.1 allows: 2^31-1.</summary>
    public const long Max = int.MaxValue;

    /// <summary>How much may be sent now; negative after the peer shrank its initial window.</summary>
    public long Available { get; private set; } = size;

    /// <summary>What may be sent now, as a non-negative count.</summary>
    public readonly int Sendable => (int)Math.Max(0, Available);

    /// <summary>Grows the window by a WINDOW_UPDATE; <see langword="false"/> (and no change) if that passes 2^31-1.</summary>
    public bool TryGrow(int increment) => TryShift(increment);

    /// <summary>Shifts the window by a change of SETTINGS_INITIAL_WINDOW_SIZE; <see langword="false"/> if that passes 2^31-1.</summary>
    public bool TryShift(long delta)
    {
        long next = Available + delta;
        if (next > Max)
        {
            return false;
        }

        Available = next;
        return true;
    }

    /// <summary>Takes what a DATA frame we send counts against the window (payload and padding).</summary>
    public void Consume(int flowControlledLength) => Available -= flowControlledLength;
}
