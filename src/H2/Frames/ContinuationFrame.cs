using System.Buffers;

namespace H2.Frames;

/// <summary>
/// A CONTINUATION frame (RFC 9113 §6.10): a further fragment of the header block begun by a
/// HEADERS or PUSH_PROMISE frame. A <see cref="FrameReader"/> joins these onto the frame they
/// continue and never delivers one on its own.
/// </summary>
public sealed class ContinuationFrame : Frame
{
    /// <summary>Creates a CONTINUATION frame.</summary>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="headerBlockFragment">The fragment.</param>
    /// <param name="endHeaders">Whether this fragment completes the block (END_HEADERS).</param>
    public ContinuationFrame(int streamId, ReadOnlyMemory<byte> headerBlockFragment, bool endHeaders = true)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        HeaderBlockFragment = headerBlockFragment;
        EndHeaders = endHeaders;
    }

    /// <summary>The header block fragment.</summary>
    public ReadOnlyMemory<byte> HeaderBlockFragment { get; }

    /// <summary>Whether END_HEADERS is set.</summary>
    public bool EndHeaders { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Continuation;

    /// <inheritdoc/>
    public override FrameFlags Flags => EndHeaders ? FrameFlags.EndHeaders : FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => HeaderBlockFragment.Length;

    /// <summary>Writes one CONTINUATION frame without creating a <see cref="ContinuationFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="headerBlockFragment">The fragment.</param>
    /// <param name="endHeaders">Whether to set END_HEADERS.</param>
    public static void Write(IBufferWriter<byte> destination, int streamId, ReadOnlySpan<byte> headerBlockFragment, bool endHeaders = true)
    {
        RequireStream(streamId, nameof(streamId));
        Span<byte> payload = BeginFrame(
            destination,
            FrameType.Continuation,
            endHeaders ? FrameFlags.EndHeaders : FrameFlags.None,
            streamId,
            headerBlockFragment.Length,
            out int total);
        headerBlockFragment.CopyTo(payload);
        destination.Advance(total);
    }

    /// <summary>
    /// How much of a header block fits in the first frame after <paramref name="fieldsLength"/>
    /// octets of fixed fields.
    /// </summary>
    internal static int FirstFragmentLength(int blockLength, int fieldsLength, int maxFrameSize)
    {
        if (maxFrameSize <= fieldsLength || maxFrameSize > FrameHeader.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxFrameSize), maxFrameSize, "The maximum frame size must exceed the frame's fixed fields and fit in 24 bits.");
        }

        return Math.Min(blockLength, maxFrameSize - fieldsLength);
    }

    /// <summary>Writes what is left of a header block as CONTINUATION frames, the last with END_HEADERS.</summary>
    internal static void WriteRest(IBufferWriter<byte> destination, int streamId, ReadOnlySpan<byte> rest, int maxFrameSize)
    {
        while (!rest.IsEmpty)
        {
            int length = Math.Min(rest.Length, maxFrameSize);
            Write(destination, streamId, rest[..length], endHeaders: length == rest.Length);
            rest = rest[length..];
        }
    }

    private protected override void WritePayload(Span<byte> destination) => HeaderBlockFragment.Span.CopyTo(destination);
}
