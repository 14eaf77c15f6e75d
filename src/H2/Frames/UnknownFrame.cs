using System.Buffers;

namespace H2.Frames;

/// <summary>
/// A frame of a type this implementation does not interpret, kept whole: type, flags, stream and
/// raw payload. RFC 9113 §5.5 says such frames are ignored; the reader hands them on so an
/// application can use its own extensions. Any type code may be given, so this class also builds
/// arbitrary frames, malformed ones included, for tests and tools.
/// </summary>
public sealed class UnknownFrame : Frame
{
    private readonly FrameType _type;
    private readonly FrameFlags _flags;

    /// <summary>Creates a frame from raw parts.</summary>
    /// <param name="type">The type code.</param>
    /// <param name="flags">The flag bits, written as given.</param>
    /// <param name="streamId">The stream identifier, 0 or above.</param>
    /// <param name="payload">The raw payload.</param>
    public UnknownFrame(FrameType type, FrameFlags flags, int streamId, ReadOnlyMemory<byte> payload)
        : base(RequireNonNegative(streamId, nameof(streamId)))
    {
        _type = type;
        _flags = flags;
        Payload = payload;
    }

    /// <summary>The raw payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <inheritdoc/>
    public override FrameType Type => _type;

    /// <inheritdoc/>
    public override FrameFlags Flags => _flags;

    /// <inheritdoc/>
    public override int PayloadLength => Payload.Length;

    /// <summary>Writes a frame from raw parts.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="type">The type code.</param>
    /// <param name="flags">The flag bits.</param>
    /// <param name="streamId">The stream identifier, 0 or above.</param>
    /// <param name="payload">The raw payload.</param>
    public static void Write(IBufferWriter<byte> destination, FrameType type, FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        RequireNonNegative(streamId, nameof(streamId));
        payload.CopyTo(BeginFrame(destination, type, flags, streamId, payload.Length, out int total));
        destination.Advance(total);
    }

    private protected override void WritePayload(Span<byte> destination) => Payload.Span.CopyTo(destination);
}
