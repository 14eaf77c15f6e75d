using System.Buffers;
using System.Buffers.Binary;

namespace H2.Frames;

/// <summary>
/// A PUSH_PROMISE frame (RFC 9113 §6.6): the server announces a stream it will push, with the
/// request's header block. A <see cref="FrameReader"/> joins CONTINUATION frames onto it.
/// </summary>
public sealed class PushPromiseFrame : Frame
{
    private const int PromisedStreamIdLength = 4;

    /// <summary>Creates a PUSH_PROMISE frame.</summary>
    /// <param name="streamId">The stream the promise is associated with, 1 or above.</param>
    /// <param name="promisedStreamId">The stream that will carry the pushed response.</param>
    /// <param name="headerBlockFragment">The HPACK-encoded request header block, or its first fragment.</param>
    /// <param name="endHeaders">Whether the block is complete in this frame (END_HEADERS).</param>
    /// <param name="padLength">The padding length 0 to 255, or <see langword="null"/> for no PADDED flag.</param>
    public PushPromiseFrame(int streamId, int promisedStreamId, ReadOnlyMemory<byte> headerBlockFragment, bool endHeaders = true, int? padLength = null)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        Padding.Validate(padLength, nameof(padLength));
        PromisedStreamId = RequireNonNegative(promisedStreamId, nameof(promisedStreamId));
        HeaderBlockFragment = headerBlockFragment;
        EndHeaders = endHeaders;
        PadLength = padLength;
    }

    /// <summary>The stream that will carry the pushed response.</summary>
    public int PromisedStreamId { get; }

    /// <summary>The header block fragment (the whole block when read by a <see cref="FrameReader"/>).</summary>
    public ReadOnlyMemory<byte> HeaderBlockFragment { get; }

    /// <summary>Whether END_HEADERS is set.</summary>
    public bool EndHeaders { get; }

    /// <summary>The padding length, or <see langword="null"/> when the frame is not padded.</summary>
    public int? PadLength { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.PushPromise;

    /// <inheritdoc/>
    public override FrameFlags Flags => FlagsFor(EndHeaders, PadLength);

    /// <inheritdoc/>
    public override int PayloadLength => Padding.Overhead(PadLength) + PromisedStreamIdLength + HeaderBlockFragment.Length;

    /// <summary>
    /// Writes a whole request header block as one PUSH_PROMISE frame, followed by CONTINUATION
    /// frames when it does not fit in <paramref name="maxFrameSize"/>.
    /// </summary>
    /// <param name="destination">Receives the frames.</param>
    /// <param name="streamId">The associated stream, 1 or above.</param>
    /// <param name="promisedStreamId">The promised stream.</param>
    /// <param name="headerBlock">The complete header block.</param>
    /// <param name="maxFrameSize">The peer's SETTINGS_MAX_FRAME_SIZE.</param>
    /// <param name="padLength">The padding length 0 to 255, or <see langword="null"/>.</param>
    public static void Write(
        IBufferWriter<byte> destination, int streamId, int promisedStreamId, ReadOnlySpan<byte> headerBlock, int maxFrameSize, int? padLength = null)
    {
        RequireStream(streamId, nameof(streamId));
        RequireNonNegative(promisedStreamId, nameof(promisedStreamId));
        Padding.Validate(padLength, nameof(padLength));
        int fieldsLength = Padding.Overhead(padLength) + PromisedStreamIdLength;
        int firstLength = ContinuationFrame.FirstFragmentLength(headerBlock.Length, fieldsLength, maxFrameSize);

        Span<byte> payload = BeginFrame(
            destination, FrameType.PushPromise, FlagsFor(firstLength == headerBlock.Length, padLength), streamId, fieldsLength + firstLength, out int total);
        WritePayload(payload, promisedStreamId, headerBlock[..firstLength], padLength);
        destination.Advance(total);
        ContinuationFrame.WriteRest(destination, streamId, headerBlock[firstLength..], maxFrameSize);
    }

    /// <summary>Validates a received PUSH_PROMISE frame and returns its header block fragment.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> fragment, out int promisedStreamId)
    {
        fragment = default;
        promisedStreamId = 0;
        if (header.StreamId == 0)
        {
            // RFC 9113 §6.6.
            return FrameError.Connection(ErrorCode.ProtocolError, "PUSH_PROMISE frame on stream 0.");
        }

        FrameError? error = Padding.Remove(header, payload, PromisedStreamIdLength, out ReadOnlySpan<byte> content);
        if (error is not null)
        {
            return error;
        }

        promisedStreamId = FrameHeader.ReadStreamId(content);

        // Only servers push, and server-initiated streams are even and non-zero (RFC 9113 §5.1.1).
        if (promisedStreamId == 0 || (promisedStreamId & 1) != 0)
        {
            return FrameError.Connection(ErrorCode.ProtocolError, $"PUSH_PROMISE promises invalid stream {promisedStreamId}.");
        }

        fragment = content[PromisedStreamIdLength..];
        return null;
    }

    private protected override void WritePayload(Span<byte> destination) =>
        WritePayload(destination, PromisedStreamId, HeaderBlockFragment.Span, PadLength);

    private static void WritePayload(Span<byte> payload, int promisedStreamId, ReadOnlySpan<byte> fragment, int? padLength)
    {
        Span<byte> content = Padding.Write(payload, padLength);
        BinaryPrimitives.WriteInt32BigEndian(content, promisedStreamId);
        fragment.CopyTo(content[PromisedStreamIdLength..]);
    }

    private static FrameFlags FlagsFor(bool endHeaders, int? padLength) =>
        (endHeaders ? FrameFlags.EndHeaders : FrameFlags.None) | (padLength is null ? FrameFlags.None : FrameFlags.Padded);
}
