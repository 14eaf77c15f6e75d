namespace H2.Connection;

/// <summary>
/// Flow control of one connection (RFC 9113 §5.2, §6.9): the connection's windows in both
/// directions, and every sum that joins them to a stream's. The arithmetic itself, and the
/// 2^31-1 rule, live in <see cref="InboundWindow"/> and <see cref="OutboundWindow"/>; nothing
/// else adds to or takes from a window.
/// </summary>
internal sealed class FlowControl
{
    /// <summary>The window every connection and stream starts with (RFC 9113 §6.9.2).</summary>
    public const int InitialWindow = 65535;

    private InboundWindow _inbound = new(InitialWindow);
    private OutboundWindow _outbound = new(InitialWindow);

    /// <summary>How much the peer may still send on the connection.</summary>
    public int InboundAvailable => _inbound.Available;

    /// <summary>How much DATA we may send on <paramref name="stream"/> now: the smaller of its window and the connection's.</summary>
    public int SendableOn(H2Stream stream) => (int)Math.Max(0, Math.Min(stream.Outbound.Available, _outbound.Available));

    /// <summary>How much DATA the peer may send on <paramref name="stream"/> now.</summary>
    public int ReceivableOn(H2Stream stream) => Math.Max(0, Math.Min(stream.Inbound.Available, _inbound.Available));

    /// <summary>Counts a DATA frame we send against both windows.</summary>
    public void Sent(H2Stream stream, int flowControlledLength)
    {
        stream.Outbound.Consume(flowControlledLength);
        _outbound.Consume(flowControlledLength);
    }

    /// <summary>Counts a received DATA frame against the connection's window; <see langword="false"/> if it exceeds it.</summary>
    public bool TryReceive(int flowControlledLength) => _inbound.TryConsume(flowControlledLength);

    /// <summary>Records octets processed (or dropped) on the connection; returns the WINDOW_UPDATE increment due now, or 0.</summary>
    public int Acknowledge(int length) => _inbound.Acknowledge(length);

    /// <summary>Opens the connection's receive window by a WINDOW_UPDATE we send; <see langword="false"/> past 2^31-1.</summary>
    public bool TryOpen(int increment) => _inbound.TryOpen(increment);

    /// <summary>Grows the connection's send window by the peer's WINDOW_UPDATE; <see langword="false"/> past 2^31-1.</summary>
    public bool TryGrow(int increment) => _outbound.TryGrow(increment);

    /// <summary>
    /// Shifts every stream's send window by a change of the peer's SETTINGS_INITIAL_WINDOW_SIZE
    /// (RFC 9113 §6.9.2: windows may go negative); <see langword="false"/> if one would pass 2^31-1.
    /// </summary>
    public static bool TryShiftSend(IEnumerable<H2Stream> streams, long delta)
    {
        foreach (H2Stream stream in streams)
        {
            if (!stream.Outbound.TryShift(delta))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Shifts every stream's receive window once the peer has acknowledged our new SETTINGS_INITIAL_WINDOW_SIZE.</summary>
    public static void ShiftReceive(IEnumerable<H2Stream> streams, int delta)
    {
        foreach (H2Stream stream in streams)
        {
            stream.Inbound.Resize(delta);
        }
    }
}
