using System.Buffers;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>A DATA frame (RFC 9113 §6.1): content of a request or response, counted by flow control.</summary>
public sealed class DataFrame : Frame
{
    /// <summary>Creates a DATA frame.</summary>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="data">The content.</param>
    /// <param name="endStream">Whether this is the sender's last frame on the stream (END_STREAM).</param>
    /// <param name="padLength">The padding length 0 to 255, or <see langword="null"/> for no PADDED flag.</param>
    public DataFrame(int streamId, ReadOnlyMemory<byte> data, bool endStream = false, int? padLength = null)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        Padding.Validate(padLength, nameof(padLength));
        Data = data;
        EndStream = endStream;
        PadLength = padLength;
    }

    /// <summary>The content.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether END_STREAM is set.</summary>
    public bool EndStream { get; }

    /// <summary>The padding length, or <see langword="null"/> when the frame is not padded.</summary>
    public int? PadLength { get; }

    /// <summary>The octets this frame counts against flow-control windows: the whole payload, padding included (RFC 9113 §6.9).</summary>
    public int FlowControlledLength => PayloadLength;

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Data;

    /// <inheritdoc/>
    public override FrameFlags Flags =>
        (EndStream ? FrameFlags.EndStream : FrameFlags.None) | (PadLength is null ? FrameFlags.None : FrameFlags.Padded);

    /// <inheritdoc/>
    public override int PayloadLength => Data.Length + Padding.Overhead(PadLength);

    /// <summary>Writes a DATA frame without creating a <see cref="DataFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="data">The content; the caller keeps it within the peer's maximum frame size.</param>
    /// <param name="endStream">Whether to set END_STREAM.</param>
    /// <param name="padLength">The padding length 0 to 255, or <see langword="null"/> for none.</param>
    public static void Write(
        IBufferWriter<byte> destination, int streamId, ReadOnlySpan<byte> data, bool endStream = false, int? padLength = null)
    {
        RequireStream(streamId, nameof(streamId));
        Padding.Validate(padLength, nameof(padLength));
        FrameFlags flags = (endStream ? FrameFlags.EndStream : FrameFlags.None) | (padLength is null ? FrameFlags.None : FrameFlags.Padded);
        Span<byte> payload = BeginFrame(destination, FrameType.Data, flags, streamId, data.Length + Padding.Overhead(padLength), out int total);
        data.CopyTo(Padding.Write(payload, padLength));
        destination.Advance(total);
    }

    /// <summary>Validates a received DATA frame and returns its content.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> data)
    {
        data = default;

        // RFC 9113 §6.1.
        return header.StreamId == 0
            ? FrameError.Connection(ErrorCode.ProtocolError, "DATA frame on stream 0.")
            : Padding.Remove(header, payload, 0, out data);
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out ReadOnlySpan<byte> data), header, payload, handler))
        {
            handler.OnData(header.StreamId, data, header.HasFlag(FrameFlags.EndStream), payload.Length);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => Data.Span.CopyTo(Padding.Write(destination, PadLength));
}
