namespace H2.Connection;

/// <summary>
/// A receive-side flow-control window (RFC 9113 §6.9), kept as h2's <c>WindowManager</c> keeps it:
/// how much the peer may still send, and how much the application has processed but we have not
/// yet given back. Credit is returned in batches, not one WINDOW_UPDATE per DATA frame.
/// </summary>
internal struct InboundWindow
{
    public InboundWindow(int size)
    {
        MaxSize = size;
        Available = size;
    }

    /// <summary>The window we aim to keep open (the initial size, or larger after manual increments).</summary>
    public int MaxSize { get; private set; }

    /// <summary>How much the peer may send now; negative after the initial size shrank.</summary>
    public int Available { get; private set; }

    /// <summary>Processed octets not yet announced with a WINDOW_UPDATE.</summary>
    public int Processed { get; private set; }

    /// <summary>Takes flow-controlled octets from the window; <see langword="false"/> if they exceed it.</summary>
    public bool TryConsume(int length)
    {
        if (length > Available)
        {
            return false;
        }

        Available -= length;
        return true;
    }

    /// <summary>Grows the window by a WINDOW_UPDATE we send, returning <see langword="false"/> on overflow past 2^31-1.</summary>
    public bool TryOpen(int increment)
    {
        long available = (long)Available + increment;
        if (available > int.MaxValue)
        {
            return false;
        }

        Available = (int)available;
        MaxSize = Math.Max(MaxSize, Available);
        return true;
    }

    /// <summary>Shifts the window when our SETTINGS_INITIAL_WINDOW_SIZE changes (RFC 9113 §6.9.2).</summary>
    public void Resize(int delta)
    {
        MaxSize = (int)Math.Clamp((long)MaxSize + delta, 0, int.MaxValue);
        Available = (int)Math.Clamp((long)Available + delta, int.MinValue, int.MaxValue);
    }

    /// <summary>
    /// Records octets the application has processed and returns the increment to announce now, or 0.
    /// An update is due once half the window has been processed, or, when the window is shut, once a
    /// little (a quarter of it, at most 1,024 octets) has.
    /// </summary>
    public int Acknowledge(int length)
    {
        Processed += length;
        if (Processed == 0)
        {
            return 0;
        }

        bool due = Processed >= MaxSize / 2 || (Available <= 0 && Processed > Math.Min(1024, MaxSize / 4));
        if (!due)
        {
            return 0;
        }

        int increment = (int)Math.Min(Processed, (long)MaxSize - Available);
        Processed = 0;
        if (increment <= 0)
        {
            return 0;
        }

        Available += increment;
        return increment;
    }
}
