namespace H2;

/// <summary>
/// The base of every exception H2Sharp throws for an HTTP/2 problem. Each carries the
/// RFC 9113 §7 <see cref="H2.ErrorCode"/> that the problem maps to on the wire.
/// </summary>
public abstract class H2Exception : Exception
{
    /// <summary>Creates the exception with its error code and message.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected H2Exception(ErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The RFC 9113 error code to send to the peer for this problem.</summary>
    public ErrorCode ErrorCode { get; }
}
