namespace H2.Events;

/// <summary>
/// The peer sent GOAWAY. Streams up to <see cref="LastStreamId"/> may still complete; no new
/// stream may be opened. With an error code other than NO_ERROR the peer is closing at once.
/// </summary>
public sealed class ConnectionTerminated : Event
{
    internal ConnectionTerminated(ErrorCode errorCode, int lastStreamId, ReadOnlyMemory<byte> additionalData)
    {
        ErrorCode = errorCode;
        LastStreamId = lastStreamId;
        AdditionalData = additionalData;
    }

    /// <summary>Why the peer is closing.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>The highest stream this endpoint opened that the peer may have processed.</summary>
    public int LastStreamId { get; }

    /// <summary>Opaque diagnostic data from the peer.</summary>
    public ReadOnlyMemory<byte> AdditionalData { get; }

    /// <inheritdoc/>
    public override string ToString() => $"ConnectionTerminated({ErrorCode}, last stream {LastStreamId})";
}
