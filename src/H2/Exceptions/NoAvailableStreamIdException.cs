namespace H2;

/// <summary>Every stream identifier of this side has been used (they end at 2^31-1); a new connection is needed.</summary>
public sealed class NoAvailableStreamIdException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public NoAvailableStreamIdException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }
}
