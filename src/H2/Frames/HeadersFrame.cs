using System.Buffers;

namespace H2.Frames;

/// <summary>
/// A HEADERS frame (RFC 9113 §6.2): opens a stream or carries trailers, with the first fragment of
/// a header block. The <see cref="FrameReader"/> joins CONTINUATION frames onto it, so a HEADERS
/// frame it delivers always holds the whole block.
/// </summary>
public sealed class HeadersFrame : Frame
{
    /// <summary>Creates a HEADERS frame.</summary>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="headerBlockFragment">The HPACK-encoded header block, or its first fragment.</param>
    /// <param name="endStream">Whether the stream ends with this header block (END_STREAM).</param>
    /// <param name="endHeaders">Whether the block is complete in this frame (END_HEADERS).</param>
    /// <param name="priority">RFC 7540 priority fields to include (PRIORITY flag), if any.</param>
    /// <param name="padLength">The padding length 0 to 255, or <see langword="null"/> for no PADDED flag.</param>
    public HeadersFrame(
        int streamId,
        ReadOnlyMemory<byte> headerBlockFragment,
        bool endStream = false,
        bool endHeaders = true,
        StreamPriority? priority = null,
        int? padLength = null)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        Padding.Validate(padLength, nameof(padLength));
        HeaderBlockFragment = headerBlockFragment;
        EndStream = endStream;
        EndHeaders = endHeaders;
        Priority = priority;
        PadLength = padLength;
    }

    /// <summary>The header block fragment (the whole block when read by a <see cref="FrameReader"/>).</summary>
    public ReadOnlyMemory<byte> HeaderBlockFragment { get; }

    /// <summary>Whether END_STREAM is set.</summary>
    public bool EndStream { get; }

    /// <summary>Whether END_HEADERS is set.</summary>
    public bool EndHeaders { get; }

    /// <summary>The RFC 7540 priority fields, or <see langword="null"/> when the PRIORITY flag is not set.</summary>
    public StreamPriority? Priority { get; }

    /// <summary>The padding length, or <see langword="null"/> when the frame is not padded.</summary>
    public int? PadLength { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Headers;

    /// <inheritdoc/>
    public override FrameFlags Flags => FlagsFor(EndStream, EndHeaders, Priority, PadLength);

    /// <inheritdoc/>
    public override int PayloadLength => FieldsLength(Priority, PadLength) + HeaderBlockFragment.Length;

    /// <summary>
    /// Writes a whole header block as one HEADERS frame, followed by CONTINUATION frames when the
    /// block does not fit in <paramref name="maxFrameSize"/> (RFC 9113 §4.3).
    /// </summary>
    /// <param name="destination">Receives the frames.</param>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="headerBlock">The complete HPACK-encoded header block.</param>
    /// <param name="maxFrameSize">The peer's SETTINGS_MAX_FRAME_SIZE.</param>
    /// <param name="endStream">Whether to set END_STREAM.</param>
    /// <param name="priority">RFC 7540 priority fields to include, if any.</param>
    /// <param name="padLength">The padding length 0 to 255 for the HEADERS frame, or <see langword="null"/>.</param>
    public static void Write(
        IBufferWriter<byte> destination,
        int streamId,
        ReadOnlySpan<byte> headerBlock,
        int maxFrameSize,
        bool endStream = false,
        StreamPriority? priority = null,
        int? padLength = null)
    {
        RequireStream(streamId, nameof(streamId));
        Padding.Validate(padLength, nameof(padLength));
        int fieldsLength = FieldsLength(priority, padLength);
        int firstLength = ContinuationFrame.FirstFragmentLength(headerBlock.Length, fieldsLength, maxFrameSize);
        bool endHeaders = firstLength == headerBlock.Length;

        Span<byte> payload = BeginFrame(
            destination, FrameType.Headers, FlagsFor(endStream, endHeaders, priority, padLength), streamId, fieldsLength + firstLength, out int total);
        WritePayload(payload, headerBlock[..firstLength], priority, padLength);
        destination.Advance(total);
        ContinuationFrame.WriteRest(destination, streamId, headerBlock[firstLength..], maxFrameSize);
    }

    /// <summary>Validates a received HEADERS frame and returns its header block fragment.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> fragment, out StreamPriority? priority)
    {
        fragment = default;
        priority = null;
        if (header.StreamId == 0)
        {
            // RFC 9113 §6.2.
            return FrameError.Connection(ErrorCode.ProtocolError, "HEADERS frame on stream 0.");
        }

        bool hasPriority = header.HasFlag(FrameFlags.Priority);
        FrameError? error = Padding.Remove(header, payload, hasPriority ? StreamPriority.Length : 0, out ReadOnlySpan<byte> content);
        if (error is not null || !hasPriority)
        {
            fragment = content;
            return error;
        }

        priority = StreamPriority.Read(content);
        fragment = content[StreamPriority.Length..];
        return null;
    }

    private protected override void WritePayload(Span<byte> destination) =>
        WritePayload(destination, HeaderBlockFragment.Span, Priority, PadLength);

    private static void WritePayload(Span<byte> payload, ReadOnlySpan<byte> fragment, StreamPriority? priority, int? padLength)
    {
        Span<byte> content = Padding.Write(payload, padLength);
        if (priority is StreamPriority p)
        {
            p.Write(content);
            content = content[StreamPriority.Length..];
        }

        fragment.CopyTo(content);
    }

    private static int FieldsLength(StreamPriority? priority, int? padLength) =>
        Padding.Overhead(padLength) + (priority is null ? 0 : StreamPriority.Length);

    private static FrameFlags FlagsFor(bool endStream, bool endHeaders, StreamPriority? priority, int? padLength) =>
        (endStream ? FrameFlags.EndStream : FrameFlags.None)
        | (endHeaders ? FrameFlags.EndHeaders : FrameFlags.None)
        | (priority is null ? FrameFlags.None : FrameFlags.Priority)
        | (padLength is null ? FrameFlags.None : FrameFlags.Padded);
}
