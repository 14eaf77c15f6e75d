namespace H2;

/// <summary>A frame that is not allowed here: for example PUSH_PROMISE received by a server, or sent when push is disabled.</summary>
public sealed class UnsupportedFrameException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public UnsupportedFrameException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }
}
