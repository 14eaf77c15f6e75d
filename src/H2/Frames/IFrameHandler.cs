namespace H2.Frames;

/// <summary>
/// Receives the frames a <see cref="FrameReader"/> parses, one call per frame, with payload parts
/// as spans into the reader's input or buffer. Spans are valid only during the call: copy what must
/// live longer. <see cref="FrameCollector"/> is a ready-made handler that builds <see cref="Frame"/> objects.
/// </summary>
/// <remarks>
/// By the time a method is called the frame has passed every check the frame layer makes
/// (RFC 9113 §4 and §6: lengths, stream-id rules, padding). Checks that need stream state are
/// the handler's. If a handler method throws, the exception propagates out of
/// <see cref="FrameReader.Read(ReadOnlySpan{byte}, IFrameHandler)"/> and the reader is finished.
/// </remarks>
public interface IFrameHandler
{
    /// <summary>A DATA frame.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="data">The content, padding removed.</param>
    /// <param name="endStream">Whether END_STREAM is set.</param>
    /// <param name="flowControlledLength">The whole payload length, padding included, which flow control counts (RFC 9113 §6.9.1).</param>
    void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength);

    /// <summary>
    /// A HEADERS frame: the first fragment of its header block. Unless <paramref name="endHeaders"/>
    /// is set, CONTINUATION frames bring the rest (<see cref="OnContinuation"/>), and nothing else
    /// may come between (RFC 9113 §4.3).
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="fragment">The frame's part of the HPACK header block.</param>
    /// <param name="endHeaders">Whether this frame ends the header block (END_HEADERS).</param>
    /// <param name="endStream">Whether END_STREAM is set.</param>
    /// <param name="priority">The RFC 7540 priority fields, if the PRIORITY flag was set.</param>
    void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority);

    /// <summary>A PUSH_PROMISE frame: the first fragment of the promised request's header block, continued as for HEADERS.</summary>
    /// <param name="streamId">The stream the promise is about.</param>
    /// <param name="promisedStreamId">The stream reserved for the pushed response.</param>
    /// <param name="fragment">The frame's part of the HPACK header block.</param>
    /// <param name="endHeaders">Whether this frame ends the header block.</param>
    void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders);

    /// <summary>A CONTINUATION frame: the next fragment of the header block under way.</summary>
    /// <param name="streamId">The stream of the header block.</param>
    /// <param name="fragment">The fragment.</param>
    /// <param name="endHeaders">Whether this frame ends the header block.</param>
    void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders);

    /// <summary>A PRIORITY frame.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="priority">The priority fields; the handler checks for self-dependency (RFC 9113 §5.3.1).</param>
    void OnPriority(int streamId, StreamPriority priority);

    /// <summary>An RST_STREAM frame.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="errorCode">Why the peer reset it.</param>
    void OnRstStream(int streamId, ErrorCode errorCode);

    /// <summary>A SETTINGS frame.</summary>
    /// <param name="ack">Whether ACK is set (the payload is then empty).</param>
    /// <param name="settings">The settings in the order sent; values are not range-checked here.</param>
    void OnSettings(bool ack, SettingsPayload settings);

    /// <summary>A PING frame.</summary>
    /// <param name="ack">Whether ACK is set.</param>
    /// <param name="opaqueData">The eight opaque octets.</param>
    void OnPing(bool ack, ReadOnlySpan<byte> opaqueData);

    /// <summary>A GOAWAY frame.</summary>
    /// <param name="lastStreamId">The last stream the peer may have processed.</param>
    /// <param name="errorCode">Why the peer is closing.</param>
    /// <param name="debugData">Opaque diagnostic data.</param>
    void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData);

    /// <summary>A WINDOW_UPDATE frame with a non-zero increment.</summary>
    /// <param name="streamId">The stream, or 0 for the connection.</param>
    /// <param name="increment">The credit, 1 to 2^31-1.</param>
    void OnWindowUpdate(int streamId, int increment);

    /// <summary>A well-formed ALTSVC frame (RFC 7838): with an origin on stream 0, without one on any other stream.</summary>
    /// <param name="streamId">The stream, or 0.</param>
    /// <param name="origin">The origin octets; empty if none was given.</param>
    /// <param name="fieldValue">The Alt-Svc field value octets.</param>
    void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue);

    /// <summary>A well-formed ORIGIN frame on stream 0 (RFC 8336).</summary>
    /// <param name="origins">The origins in the order sent.</param>
    void OnOrigin(IReadOnlyList<string> origins);

    /// <summary>A PRIORITY_UPDATE frame (RFC 9218).</summary>
    /// <param name="prioritizedStreamId">The stream whose priority is set; never 0.</param>
    /// <param name="priorityFieldValue">The Priority field value octets.</param>
    void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue);

    /// <summary>
    /// A frame of a type the reader does not interpret, or an ALTSVC or ORIGIN frame that RFC 7838
    /// and RFC 8336 say to ignore: a malformed payload, an ORIGIN frame not on stream 0, an ALTSVC
    /// frame without an origin on stream 0 or with one elsewhere. Never an error.
    /// </summary>
    /// <param name="header">The frame header.</param>
    /// <param name="payload">The raw payload.</param>
    void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload);

    /// <summary>
    /// A frame that is a stream error rather than a connection error (RFC 9113 §5.4.2): a PRIORITY
    /// frame of the wrong length, or a WINDOW_UPDATE with increment 0 on a stream. The frame has
    /// been consumed and reading goes on; the handler decides how to answer, which may depend on
    /// the stream's state.
    /// </summary>
    /// <param name="exception">The error, with <see cref="ProtocolException.StreamId"/> set.</param>
    void OnStreamError(ProtocolException exception);
}
