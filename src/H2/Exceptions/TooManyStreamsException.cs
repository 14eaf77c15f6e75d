namespace H2;

/// <summary>Opening a stream would exceed the peer's SETTINGS_MAX_CONCURRENT_STREAMS (raised locally), or the peer opened more streams than ours allows (REFUSED_STREAM).</summary>
public sealed class TooManyStreamsException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public TooManyStreamsException(string message, int? streamId = null)
        : base(ErrorCode.RefusedStream, message, streamId)
    {
    }
}
