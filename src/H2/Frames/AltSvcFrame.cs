using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>
/// An ALTSVC frame (RFC 7838 §4): advertises an alternative service. On stream 0 it names the
/// origin it applies to; on another stream the origin is that stream's and <see cref="Origin"/> is empty.
/// </summary>
public sealed class AltSvcFrame : Frame
{
    private const int OriginLengthSize = 2;

    /// <summary>Creates an ALTSVC frame.</summary>
    /// <param name="streamId">0 with an origin, or the stream whose origin is meant.</param>
    /// <param name="origin">The ASCII origin (for stream 0), else empty.</param>
    /// <param name="fieldValue">The Alt-Svc field value, for example <c>h2="alt.example.com:443"</c>.</param>
    public AltSvcFrame(int streamId, string origin, string fieldValue)
        : base(RequireNonNegative(streamId, nameof(streamId)))
    {
        Origin = RequireText(origin, nameof(origin));
        FieldValue = RequireText(fieldValue, nameof(fieldValue));
        if (origin.Length > ushort.MaxValue)
        {
            throw new ArgumentException("The origin must fit in 65,535 octets.", nameof(origin));
        }
    }

    /// <summary>The origin the alternative applies to; empty when sent on a stream other than 0.</summary>
    public string Origin { get; }

    /// <summary>The Alt-Svc field value (RFC 7838 §3).</summary>
    public string FieldValue { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.AltSvc;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => OriginLengthSize + Origin.Length + FieldValue.Length;

    /// <summary>Writes an ALTSVC frame without creating an <see cref="AltSvcFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="streamId">0 with an origin, or the stream whose origin is meant.</param>
    /// <param name="origin">The ASCII origin, or empty.</param>
    /// <param name="fieldValue">The Alt-Svc field value.</param>
    public static void Write(IBufferWriter<byte> destination, int streamId, string origin, string fieldValue) =>
        new AltSvcFrame(streamId, origin, fieldValue).WriteTo(destination);

    /// <summary>Reads the origin and field value; <see langword="false"/> when the payload is malformed.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> origin, out ReadOnlySpan<byte> fieldValue)
    {
        origin = fieldValue = default;
        if (payload.Length < OriginLengthSize)
        {
            return FrameError.Ignore;
        }

        int originLength = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (originLength > payload.Length - OriginLengthSize)
        {
            return FrameError.Ignore;
        }

        origin = payload.Slice(OriginLengthSize, originLength);
        fieldValue = payload[(OriginLengthSize + originLength)..];

        // RFC 7838 §4: an origin is given on stream 0 and only there; any other frame is ignored.
        return (header.StreamId == 0) == !origin.IsEmpty ? null : FrameError.Ignore;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out ReadOnlySpan<byte> origin, out ReadOnlySpan<byte> fieldValue), header, payload, handler))
        {
            handler.OnAltSvc(header.StreamId, origin, fieldValue);
        }
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Origin.Length);
        int written = OriginLengthSize + Latin1.GetBytes(Origin, destination[OriginLengthSize..]);
        Latin1.GetBytes(FieldValue, destination[written..]);
    }

    internal static string RequireText(string text, string paramName)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        if (!Latin1.IsValid(text))
        {
            throw new ArgumentException("Frame text must be one octet per char (at most U+00FF).", paramName);
        }

        return text;
    }
}
