using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>An RST_STREAM frame (RFC 9113 §6.4): ends a stream at once with an error code.</summary>
public sealed class RstStreamFrame : Frame
{
    private const int Length = 4;

    /// <summary>Creates an RST_STREAM frame.</summary>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="errorCode">Why the stream ends.</param>
    public RstStreamFrame(int streamId, ErrorCode errorCode)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        ErrorCode = errorCode;
    }

    /// <summary>Why the stream ends.</summary>
    public ErrorCode ErrorCode { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.RstStream;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => Length;

    /// <summary>Writes an RST_STREAM frame without creating an <see cref="RstStreamFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="errorCode">Why the stream ends.</param>
    public static void Write(IBufferWriter<byte> destination, int streamId, ErrorCode errorCode)
    {
        RequireStream(streamId, nameof(streamId));
        BinaryPrimitives.WriteUInt32BigEndian(BeginFrame(destination, FrameType.RstStream, FrameFlags.None, streamId, Length, out int total), (uint)errorCode);
        destination.Advance(total);
    }

    /// <summary>Validates a received RST_STREAM frame and reads its error code.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out ErrorCode errorCode)
    {
        errorCode = default;
        if (header.StreamId == 0)
        {
            // RFC 9113 §6.4.
            return FrameError.Connection(ErrorCode.ProtocolError, "RST_STREAM frame on stream 0.");
        }

        if (payload.Length != Length)
        {
            return FrameError.Size($"RST_STREAM frame of {payload.Length} octets; it must be 4.");
        }

        errorCode = (ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload);
        return null;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out ErrorCode resetCode), header, payload, handler))
        {
            handler.OnRstStream(header.StreamId, resetCode);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)ErrorCode);
}
