namespace H2;

/// <summary>The stream is not open and was never opened, or has been forgotten.</summary>
public sealed class NoSuchStreamException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public NoSuchStreamException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }
}
