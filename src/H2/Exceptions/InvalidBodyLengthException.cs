namespace H2;

/// <summary>The body's length differs from its content-length (RFC 9113 §8.1.1): the message is malformed.</summary>
public sealed class InvalidBodyLengthException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public InvalidBodyLengthException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }
}
