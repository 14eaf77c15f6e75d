namespace H2.Events;

/// <summary>
/// A stream was reset: by the peer (RST_STREAM received), or by this endpoint because the peer
/// broke a rule that is a stream error (RFC 9113 §5.4.2), in which case the RST_STREAM is queued.
/// </summary>
public sealed class StreamReset : Event
{
    internal StreamReset(int streamId, ErrorCode errorCode, bool remoteReset)
    {
        StreamId = streamId;
        ErrorCode = errorCode;
        RemoteReset = remoteReset;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>Why it was reset.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary><see langword="true"/> if the peer reset it; <see langword="false"/> if this endpoint did.</summary>
    public bool RemoteReset { get; }

    /// <inheritdoc/>
    public override string ToString() => $"StreamReset(stream {StreamId}, {ErrorCode}, {(RemoteReset ? "by peer" : "by us")})";
}
