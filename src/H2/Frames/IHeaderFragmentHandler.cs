namespace H2.Frames;

/// <summary>
/// A frame handler that takes header blocks fragment by fragment, as their frames arrive, instead
/// of joined: the <see cref="FrameReader"/> then never buffers a header block, and the handler can
/// decode each fragment at once (see <see cref="Hpack.HpackDecoder.DecodeFragment"/>).
/// <see cref="IFrameHandler.OnHeaders"/> and <see cref="IFrameHandler.OnPushPromise"/> are not
/// called for such a handler.
/// </summary>
/// <remarks>
/// The reader still enforces RFC 9113 §4.3 (nothing may interrupt a header block),
/// <see cref="FrameReader.MaxContinuationFrames"/> and <see cref="FrameReader.MaxHeaderBlockSize"/>,
/// each before the fragment that crosses it is delivered.
/// </remarks>
public interface IHeaderFragmentHandler : IFrameHandler
{
    /// <summary>A HEADERS frame: the first fragment of its header block.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="fragment">The header block fragment, padding removed.</param>
    /// <param name="endHeaders">Whether END_HEADERS is set, so the block is complete.</param>
    /// <param name="endStream">Whether END_STREAM is set.</param>
    /// <param name="priority">The RFC 7540 priority fields, if the PRIORITY flag was set.</param>
    void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority);

    /// <summary>A PUSH_PROMISE frame: the first fragment of the promised request's header block.</summary>
    /// <param name="streamId">The associated stream.</param>
    /// <param name="promisedStreamId">The promised stream: even and non-zero.</param>
    /// <param name="fragment">The header block fragment, padding removed.</param>
    /// <param name="endHeaders">Whether END_HEADERS is set.</param>
    void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders);

    /// <summary>A CONTINUATION frame of the header block in progress.</summary>
    /// <param name="streamId">The stream of the block.</param>
    /// <param name="fragment">The next fragment.</param>
    /// <param name="endHeaders">Whether END_HEADERS is set, so the block is complete.</param>
    void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders);
}
