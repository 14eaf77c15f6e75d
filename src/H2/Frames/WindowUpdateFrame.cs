using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>A WINDOW_UPDATE frame (RFC 9113 §6.9): flow-control credit for a stream, or for the connection on stream 0.</summary>
public sealed class WindowUpdateFrame : Frame
{
    /// <summary>The largest increment: 2^31-1.</summary>
    public const int MaxIncrement = int.MaxValue;

    private const int Length = 4;

    /// <summary>Creates a WINDOW_UPDATE frame.</summary>
    /// <param name="streamId">The stream, or 0 for the connection window.</param>
    /// <param name="increment">The credit, 1 to 2^31-1.</param>
    public WindowUpdateFrame(int streamId, int increment)
        : base(RequireNonNegative(streamId, nameof(streamId)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(increment, 1);
        Increment = increment;
    }

    /// <summary>The credit granted, in octets.</summary>
    public int Increment { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.WindowUpdate;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => Length;

    /// <summary>Writes a WINDOW_UPDATE frame without creating a <see cref="WindowUpdateFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">The stream, or 0 for the connection.</param>
    /// <param name="increment">The credit, 1 to 2^31-1.</param>
    public static void Write(IBufferWriter<byte> destination, int streamId, int increment)
    {
        RequireNonNegative(streamId, nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfLessThan(increment, 1);
        BinaryPrimitives.WriteInt32BigEndian(BeginFrame(destination, FrameType.WindowUpdate, FrameFlags.None, streamId, Length, out int total), increment);
        destination.Advance(total);
    }

    /// <summary>
    /// Validates a received WINDOW_UPDATE frame and reads its increment. An increment of 0 is a
    /// PROTOCOL_ERROR (RFC 9113 §6.9): thrown as a connection error on stream 0, returned as a
    /// stream error otherwise so the caller can weigh it against the stream's state.
    /// </summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out int increment)
    {
        increment = 0;
        if (payload.Length != Length)
        {
            return FrameError.Size($"WINDOW_UPDATE frame of {payload.Length} octets; it must be 4.");
        }

        increment = FrameHeader.ReadStreamId(payload);
        return increment != 0 ? null
            : header.StreamId == 0 ? FrameError.Connection(ErrorCode.ProtocolError, "WINDOW_UPDATE with an increment of 0 on the connection.")
            : FrameError.Stream(ErrorCode.ProtocolError, "WINDOW_UPDATE with an increment of 0.");
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out int increment), header, payload, handler))
        {
            handler.OnWindowUpdate(header.StreamId, increment);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => BinaryPrimitives.WriteInt32BigEndian(destination, Increment);
}
