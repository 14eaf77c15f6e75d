namespace H2.Net;

/// <summary>
/// One stream failed and the connection lives on: the peer reset it (RST_STREAM), this side reset
/// it (a limit, a timeout), or the peer broke a rule confined to it (RFC 9113 §5.4.2). An
/// <see cref="IOException"/>, so code that catches those still works.
/// </summary>
public sealed class H2StreamException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The RST_STREAM error code.</param>
    /// <param name="streamId">The stream.</param>
    /// <param name="message">What happened.</param>
    /// <param name="requestNotProcessed">Whether the peer did not process the request (RFC 9113 §8.7), so it may be retried.</param>
    /// <param name="innerException">The cause, if any.</param>
    public H2StreamException(ErrorCode errorCode, int streamId, string message, bool requestNotProcessed = false, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StreamId = streamId;
        RequestNotProcessed = requestNotProcessed;
    }

    /// <summary>The RST_STREAM error code: <see cref="ErrorCode.Cancel"/>, <see cref="ErrorCode.RefusedStream"/>, and so on.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>The stream that failed.</summary>
    public int StreamId { get; }

    /// <summary>
    /// Whether the request was certainly not processed and may be sent again, on this connection or
    /// another: true for REFUSED_STREAM (RFC 9113 §8.7), false for every other code.
    /// </summary>
    public bool RequestNotProcessed { get; }
}
