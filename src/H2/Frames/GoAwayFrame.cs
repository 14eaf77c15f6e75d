using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>
/// A GOAWAY frame (RFC 9113 §6.8): the sender will open or accept no streams above
/// <see cref="LastStreamId"/>; the error code says why.
/// </summary>
public sealed class GoAwayFrame : Frame
{
    private const int FixedLength = 8;

    /// <summary>Creates a GOAWAY frame.</summary>
    /// <param name="lastStreamId">The highest peer-initiated stream the sender may have processed.</param>
    /// <param name="errorCode">Why the connection is closing.</param>
    /// <param name="debugData">Opaque diagnostic data.</param>
    public GoAwayFrame(int lastStreamId, ErrorCode errorCode, ReadOnlyMemory<byte> debugData = default)
        : base(0)
    {
        LastStreamId = RequireNonNegative(lastStreamId, nameof(lastStreamId));
        ErrorCode = errorCode;
        DebugData = debugData;
    }

    /// <summary>The highest peer-initiated stream the sender may have processed.</summary>
    public int LastStreamId { get; }

    /// <summary>Why the connection is closing.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>Opaque diagnostic data.</summary>
    public ReadOnlyMemory<byte> DebugData { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.GoAway;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => FixedLength + DebugData.Length;

    /// <summary>Writes a GOAWAY frame without creating a <see cref="GoAwayFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="lastStreamId">The highest peer-initiated stream the sender may have processed.</param>
    /// <param name="errorCode">Why the connection is closing.</param>
    /// <param name="debugData">Opaque diagnostic data.</param>
    public static void Write(IBufferWriter<byte> destination, int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData = default)
    {
        RequireNonNegative(lastStreamId, nameof(lastStreamId));
        WritePayload(BeginFrame(destination, FrameType.GoAway, FrameFlags.None, 0, FixedLength + debugData.Length, out int total), lastStreamId, errorCode, debugData);
        destination.Advance(total);
    }

    /// <summary>Validates a received GOAWAY frame and reads its fields.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out int lastStreamId, out ErrorCode errorCode, out ReadOnlySpan<byte> debugData)
    {
        // RFC 9113 §6.8: on stream 0, with its fixed fields.
        FrameError? error = FrameError.UnlessStreamZero(header) ?? FrameError.UnlessAtLeast(header, payload.Length, FixedLength);
        bool whole = error is null;
        lastStreamId = whole ? FrameHeader.ReadStreamId(payload) : 0;
        errorCode = whole ? (ErrorCode)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]) : default;
        debugData = whole ? payload[FixedLength..] : default;
        return error;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out int lastStreamId, out ErrorCode errorCode, out ReadOnlySpan<byte> debugData), header, payload, handler))
        {
            handler.OnGoAway(lastStreamId, errorCode, debugData);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => WritePayload(destination, LastStreamId, ErrorCode, DebugData.Span);

    private static void WritePayload(Span<byte> payload, int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData)
    {
        BinaryPrimitives.WriteInt32BigEndian(payload, lastStreamId);
        BinaryPrimitives.WriteUInt32BigEndian(payload[4..], (uint)errorCode);
        debugData.CopyTo(payload[FixedLength..]);
    }
}
