using System.Buffers;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>A PING frame (RFC 9113 §6.7): eight opaque octets, echoed back with ACK set.</summary>
public sealed class PingFrame : Frame
{
    /// <summary>The length of the opaque data, and of the payload.</summary>
    public const int OpaqueDataLength = 8;

    /// <summary>Creates a PING frame.</summary>
    /// <param name="opaqueData">Exactly eight octets.</param>
    /// <param name="ack">Whether this answers a PING (ACK).</param>
    public PingFrame(ReadOnlyMemory<byte> opaqueData, bool ack = false)
        : base(0)
    {
        RequireLength(opaqueData.Span, nameof(opaqueData));
        OpaqueData = opaqueData;
        Ack = ack;
    }

    /// <summary>The eight opaque octets.</summary>
    public ReadOnlyMemory<byte> OpaqueData { get; }

    /// <summary>Whether ACK is set.</summary>
    public bool Ack { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Ping;

    /// <inheritdoc/>
    public override FrameFlags Flags => Ack ? FrameFlags.Ack : FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => OpaqueDataLength;

    /// <summary>Writes a PING frame without creating a <see cref="PingFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="opaqueData">Exactly eight octets.</param>
    /// <param name="ack">Whether to set ACK.</param>
    public static void Write(IBufferWriter<byte> destination, ReadOnlySpan<byte> opaqueData, bool ack = false)
    {
        RequireLength(opaqueData, nameof(opaqueData));
        opaqueData.CopyTo(BeginFrame(destination, FrameType.Ping, ack ? FrameFlags.Ack : FrameFlags.None, 0, OpaqueDataLength, out int total));
        destination.Advance(total);
    }

    /// <summary>Validates a received PING frame and returns its opaque data.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload) =>
        header.StreamId != 0 ? FrameError.UnlessStreamZero(header) // RFC 9113 §6.7
        : payload.Length != OpaqueDataLength ? FrameError.Size($"PING frame of {payload.Length} octets; it must be 8.")
        : null;

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload), header, payload, handler))
        {
            handler.OnPing(header.HasFlag(FrameFlags.Ack), payload);
        }
    }

    private protected override void WritePayload(Span<byte> destination) => OpaqueData.Span.CopyTo(destination);

    private static void RequireLength(ReadOnlySpan<byte> opaqueData, string paramName)
    {
        if (opaqueData.Length != OpaqueDataLength)
        {
            throw new ArgumentException("PING opaque data must be exactly 8 octets.", paramName);
        }
    }
}
