using H2.Events;

namespace H2;

/// <summary>
/// The peer broke the HTTP/2 protocol. <see cref="StreamId"/> tells a stream error
/// (RFC 9113 §5.4.2: reset that stream, the connection lives on) from a connection error
/// (RFC 9113 §5.4.1: send GOAWAY and close).
/// </summary>
public class ProtocolException : H2Exception
{
    /// <summary>Creates a connection error.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">What went wrong.</param>
    public ProtocolException(ErrorCode errorCode, string message)
        : base(errorCode, message)
    {
    }

    /// <summary>Creates a stream error when <paramref name="streamId"/> is set, else a connection error.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the whole connection.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProtocolException(ErrorCode errorCode, string message, int? streamId, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
        StreamId = streamId;
    }

    /// <summary>
    /// The stream this error is confined to, or <see langword="null"/> when it is a connection error.
    /// </summary>
    public int? StreamId { get; }

    /// <summary><see langword="true"/> when only one stream is affected (RFC 9113 §5.4.2).</summary>
    public bool IsStreamError => StreamId is not null;

    /// <summary>
    /// When thrown by <see cref="H2Connection.ReceiveData(ReadOnlySpan{byte})"/>: the events that
    /// the same call produced before the error, in order, so none is lost. Empty otherwise.
    /// </summary>
    public IReadOnlyList<Event> Events { get; internal set; } = [];
}
