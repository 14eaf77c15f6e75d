using H2.Connection;

namespace H2;

/// <summary>
/// What the connection knows of one live stream, taken at one moment: its RFC 9113 §5.1 state,
/// which header blocks have passed, the bodies against their content-length, and the object the
/// application attached (<see cref="H2Connection.SetStreamUserData"/>). An I/O layer asks this
/// instead of keeping flags of its own that could disagree with the connection's.
/// </summary>
public readonly struct StreamInfo : IEquatable<StreamInfo>
{
    internal StreamInfo(H2Stream stream)
    {
        StreamId = stream.Id;
        State = stream.State;
        IsLocal = stream.IsLocal;
        FinalHeadersSent = stream.OutboundPhase is HeaderPhase.Final or HeaderPhase.Trailers;
        FinalHeadersReceived = stream.InboundPhase is HeaderPhase.Final or HeaderPhase.Trailers;
        OutboundContentLength = stream.OutboundExpectedLength;
        OutboundSentLength = stream.OutboundSentLength;
        InboundContentLength = stream.InboundExpectedLength;
        InboundReceivedLength = stream.InboundReceivedLength;
        UserData = stream.UserData;
    }

    /// <summary>The stream identifier.</summary>
    public int StreamId { get; }

    /// <summary>The stream's state.</summary>
    public StreamState State { get; }

    /// <summary>Whether this side opened (or promised) the stream.</summary>
    public bool IsLocal { get; }

    /// <summary>Whether this side can send nothing more on the stream: it sent END_STREAM, or the stream is the peer's promise.</summary>
    public bool LocalEnded => State is StreamState.HalfClosedLocal or StreamState.ReservedRemote or StreamState.Closed;

    /// <summary>Whether the peer can send nothing more on the stream: it sent END_STREAM, or the stream is our promise.</summary>
    public bool RemoteEnded => State is StreamState.HalfClosedRemote or StreamState.ReservedLocal or StreamState.Closed;

    /// <summary>Whether this side's final (non-informational) header block has been queued.</summary>
    public bool FinalHeadersSent { get; }

    /// <summary>Whether the peer's final (non-informational) header block has arrived.</summary>
    public bool FinalHeadersReceived { get; }

    /// <summary>The content-length our message declared (0 when it can have no content, RFC 9113 §8.1.1), or -1.</summary>
    public long OutboundContentLength { get; }

    /// <summary>DATA octets (padding excluded) sent in our message so far.</summary>
    public long OutboundSentLength { get; }

    /// <summary>The body octets our message still owes its content-length, or -1 when it declared none.</summary>
    public long OutboundRemainingLength => OutboundContentLength < 0 ? -1 : OutboundContentLength - OutboundSentLength;

    /// <summary>The content-length the peer's message declared, or -1.</summary>
    public long InboundContentLength { get; }

    /// <summary>DATA octets (padding excluded) received in the peer's message so far.</summary>
    public long InboundReceivedLength { get; }

    /// <summary>The application's object for the stream, or <see langword="null"/>.</summary>
    public object? UserData { get; }

    /// <summary>Compares two snapshots.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(StreamInfo left, StreamInfo right) => left.Equals(right);

    /// <summary>Compares two snapshots.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(StreamInfo left, StreamInfo right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(StreamInfo other) =>
        StreamId == other.StreamId && State == other.State && IsLocal == other.IsLocal
        && FinalHeadersSent == other.FinalHeadersSent && FinalHeadersReceived == other.FinalHeadersReceived
        && OutboundContentLength == other.OutboundContentLength && OutboundSentLength == other.OutboundSentLength
        && InboundContentLength == other.InboundContentLength && InboundReceivedLength == other.InboundReceivedLength
        && ReferenceEquals(UserData, other.UserData);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StreamInfo other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StreamId, State, OutboundSentLength, InboundReceivedLength);

    /// <inheritdoc/>
    public override string ToString() => $"stream {StreamId} ({State})";
}
