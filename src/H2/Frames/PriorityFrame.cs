using System.Buffers;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>A PRIORITY frame (RFC 9113 §6.3): the deprecated RFC 7540 priority of a stream.</summary>
public sealed class PriorityFrame : Frame
{
    /// <summary>Creates a PRIORITY frame.</summary>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="priority">Its dependency, weight and exclusive flag.</param>
    public PriorityFrame(int streamId, StreamPriority priority)
        : base(RequireStream(streamId, nameof(streamId)))
    {
        Priority = priority;
    }

    /// <summary>The dependency, weight and exclusive flag.</summary>
    public StreamPriority Priority { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Priority;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => StreamPriority.Length;

    /// <summary>Writes a PRIORITY frame without creating a <see cref="PriorityFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">The stream, 1 or above.</param>
    /// <param name="priority">Its dependency, weight and exclusive flag.</param>
    public static void Write(IBufferWriter<byte> destination, int streamId, StreamPriority priority)
    {
        RequireStream(streamId, nameof(streamId));
        priority.Write(BeginFrame(destination, FrameType.Priority, FrameFlags.None, streamId, StreamPriority.Length, out int total));
        destination.Advance(total);
    }

    /// <summary>
    /// Validates a received PRIORITY frame and reads its fields. A wrong length is a stream error,
    /// returned rather than thrown since a PRIORITY frame changes no connection state (RFC 9113 §6.3).
    /// </summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out StreamPriority priority)
    {
        priority = default;
        if (header.StreamId == 0)
        {
            // RFC 9113 §6.3.
            return FrameError.Connection(ErrorCode.ProtocolError, "PRIORITY frame on stream 0.");
        }

        if (payload.Length != StreamPriority.Length)
        {
            return FrameError.Size($"PRIORITY frame of {payload.Length} octets; it must be 5.", streamOnly: true);
        }

        priority = StreamPriority.Read(payload);
        return null;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out StreamPriority dependency), header, payload, handler))
        {
            handler.OnPriority(header.StreamId, dependency);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => Priority.Write(destination);
}
