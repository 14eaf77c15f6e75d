namespace H2;

/// <summary>A new stream's identifier is not above every stream already opened by the same side (RFC 9113 §5.1.1): PROTOCOL_ERROR.</summary>
public sealed class StreamIdTooLowException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public StreamIdTooLowException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }
}
