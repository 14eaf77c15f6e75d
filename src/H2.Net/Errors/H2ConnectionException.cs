namespace H2.Net;

/// <summary>
/// The whole connection failed or is going away: the peer sent GOAWAY, this side found a
/// connection error (RFC 9113 §5.4.1), or the transport failed — when connecting, the socket or
/// TLS error is the inner exception. An <see cref="IOException"/>, so code that catches those
/// still works.
/// </summary>
public sealed class H2ConnectionException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The GOAWAY error code, or <see cref="ErrorCode.ConnectError"/> when the transport failed without one.</param>
    /// <param name="lastStreamId">The last stream identifier of the GOAWAY, when there was one.</param>
    /// <param name="message">What happened.</param>
    /// <param name="requestNotProcessed">Whether the request certainly was not processed (RFC 9113 §8.7), so it may be retried elsewhere.</param>
    /// <param name="innerException">The cause, if any.</param>
    public H2ConnectionException(ErrorCode errorCode, int? lastStreamId, string message, bool requestNotProcessed = false, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        LastStreamId = lastStreamId;
        RequestNotProcessed = requestNotProcessed;
    }

    /// <summary>
    /// The error code of the GOAWAY that ended the connection (sent or received); for a transport
    /// that failed or closed without one, <see cref="ErrorCode.ConnectError"/>; for a server that
    /// does not speak HTTP/2 over TLS (no ALPN <c>h2</c>), <see cref="ErrorCode.Http11Required"/>.
    /// </summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>The highest stream the GOAWAY says may have been processed, or <see langword="null"/> when there was no GOAWAY.</summary>
    public int? LastStreamId { get; }

    /// <summary>
    /// Whether the request was certainly not processed and may be sent on another connection
    /// (RFC 9113 §8.7): its stream was above the GOAWAY's last stream identifier, it was refused
    /// because a GOAWAY had arrived, or the connection failed before the request was sent.
    /// </summary>
    public bool RequestNotProcessed { get; }
}
