using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>
/// A PRIORITY_UPDATE frame (RFC 9218 §7.1): a client sets the priority of a request stream with
/// the text of an HTTP Priority field, such as <c>u=2, i</c>. Always sent on stream 0.
/// </summary>
public sealed class PriorityUpdateFrame : Frame
{
    private const int FixedLength = 4;

    /// <summary>Creates a PRIORITY_UPDATE frame.</summary>
    /// <param name="prioritizedStreamId">The stream whose priority is set, 1 or above.</param>
    /// <param name="priorityFieldValue">The Priority field value (RFC 9218 §5).</param>
    public PriorityUpdateFrame(int prioritizedStreamId, string priorityFieldValue)
        : base(0)
    {
        PrioritizedStreamId = RequireStream(prioritizedStreamId, nameof(prioritizedStreamId));
        PriorityFieldValue = AltSvcFrame.RequireText(priorityFieldValue, nameof(priorityFieldValue));
    }

    /// <summary>The stream whose priority is set.</summary>
    public int PrioritizedStreamId { get; }

    /// <summary>The Priority field value.</summary>
    public string PriorityFieldValue { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.PriorityUpdate;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => FixedLength + PriorityFieldValue.Length;

    /// <summary>Writes a PRIORITY_UPDATE frame without creating a <see cref="PriorityUpdateFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="prioritizedStreamId">The stream whose priority is set, 1 or above.</param>
    /// <param name="priorityFieldValue">The Priority field value as ASCII octets.</param>
    public static void Write(IBufferWriter<byte> destination, int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue)
    {
        RequireStream(prioritizedStreamId, nameof(prioritizedStreamId));
        Span<byte> payload = BeginFrame(destination, FrameType.PriorityUpdate, FrameFlags.None, 0, FixedLength + priorityFieldValue.Length, out int total);
        BinaryPrimitives.WriteInt32BigEndian(payload, prioritizedStreamId);
        priorityFieldValue.CopyTo(payload[FixedLength..]);
        destination.Advance(total);
    }

    /// <summary>Validates a received PRIORITY_UPDATE frame and returns its field value.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out int prioritizedStreamId, out ReadOnlySpan<byte> fieldValue)
    {
        prioritizedStreamId = 0;
        fieldValue = default;

        // RFC 9218 §7.1: on stream 0, with its fixed fields.
        FrameError? error = FrameError.UnlessStreamZero(header) ?? FrameError.UnlessAtLeast(header, payload.Length, FixedLength);
        if (error is not null)
        {
            return error;
        }

        prioritizedStreamId = FrameHeader.ReadStreamId(payload);
        fieldValue = payload[FixedLength..];
        return prioritizedStreamId == 0 ? FrameError.Connection(ErrorCode.ProtocolError, "PRIORITY_UPDATE frame prioritizes stream 0.") : null;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out int prioritizedStreamId, out ReadOnlySpan<byte> fieldValue), header, payload, handler))
        {
            handler.OnPriorityUpdate(prioritizedStreamId, fieldValue);
        }
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, PrioritizedStreamId);
        Latin1.GetBytes(PriorityFieldValue, destination[FixedLength..]);
    }
}
