namespace H2.Connection;

/// <summary>
/// One stream that is not closed: its state, its two flow-control windows, and what the
/// connection checks about the messages on it (header phases, content-length against DATA).
/// </summary>
internal sealed class H2Stream
{
    public H2Stream(int id, bool isLocal, long outboundWindow, int inboundWindow) => Reset(id, isLocal, outboundWindow, inboundWindow);

    /// <summary>Makes a closed stream's object new again, so that a busy connection reuses them instead of allocating one per stream.</summary>
    public void Reset(int id, bool isLocal, long outboundWindow, int inboundWindow)
    {
        Id = id;
        IsLocal = isLocal;
        State = StreamState.Idle;
        OutboundWindow = outboundWindow;
        Inbound = new InboundWindow(inboundWindow);
        Announced = false;
        InboundPhase = default;
        OutboundPhase = default;
        InboundExpectedLength = -1;
        InboundReceivedLength = 0;
        OutboundExpectedLength = -1;
        OutboundSentLength = 0;
        IsHeadRequest = false;
        IsConnectRequest = false;
        Origin = null;
        WorkCompleted = false;
    }

    public int Id { get; private set; }

    /// <summary>Whether this endpoint opened (or promised) the stream.</summary>
    public bool IsLocal { get; private set; }

    public StreamState State { get; set; } = StreamState.Idle;

    /// <summary>How much we may send on the stream; negative after the peer shrank its initial window.</summary>
    public long OutboundWindow { get; set; }

    /// <summary>How much the peer may send on the stream.</summary>
    public InboundWindow Inbound;

    /// <summary>Whether the application has heard of the stream (it opened it, or an event named it).</summary>
    public bool Announced { get; set; }

    public HeaderPhase InboundPhase { get; set; }

    public HeaderPhase OutboundPhase { get; set; }

    /// <summary>The content-length the peer's message declared, or -1.</summary>
    public long InboundExpectedLength { get; set; } = -1;

    /// <summary>DATA octets (padding excluded) received in the peer's message.</summary>
    public long InboundReceivedLength { get; set; }

    /// <summary>The content-length our message declared (0 when it can have no content), or -1.</summary>
    public long OutboundExpectedLength { get; set; } = -1;

    /// <summary>DATA octets (padding excluded) we have sent in our message.</summary>
    public long OutboundSentLength { get; set; }

    /// <summary>Whether the request on this stream is HEAD, so the response has no content (RFC 9110 §9.3.2).</summary>
    public bool IsHeadRequest { get; set; }

    /// <summary>Whether the request on this stream is CONNECT, whose DATA is a tunnel (RFC 9113 §8.5).</summary>
    public bool IsConnectRequest { get; set; }

    /// <summary>The request's scheme and authority, so an ALTSVC frame on the stream can name its origin.</summary>
    public string? Origin { get; set; }

    /// <summary>Whether the application said its work for the stream is done, so a reset need not hold it.</summary>
    public bool WorkCompleted { get; set; }

    /// <summary>Streams in the open and half-closed states count against SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2).</summary>
    public bool CountsAsActive => State is StreamState.Open or StreamState.HalfClosedLocal or StreamState.HalfClosedRemote;

    public override string ToString() => $"stream {Id} ({State})";
}
