namespace H2;

/// <summary>The stream is closed, or closed in the direction asked (RFC 9113 §5.1): STREAM_CLOSED.</summary>
public sealed class StreamClosedException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public StreamClosedException(string message, int? streamId = null)
        : base(ErrorCode.StreamClosed, message, streamId)
    {
    }
}
