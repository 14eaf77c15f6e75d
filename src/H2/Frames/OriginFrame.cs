using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>An ORIGIN frame (RFC 8336 §2): the origins the server is authoritative for on this connection.</summary>
public sealed class OriginFrame : Frame
{
    private const int OriginLengthSize = 2;

    /// <summary>Creates an ORIGIN frame (always on stream 0).</summary>
    /// <param name="origins">ASCII serialized origins such as <c>https://example.com</c>; may be empty.</param>
    public OriginFrame(IReadOnlyList<string> origins)
        : base(0)
    {
        ArgumentNullException.ThrowIfNull(origins);
        foreach (string origin in origins)
        {
            AltSvcFrame.RequireText(origin, nameof(origins));
            if (origin.Length > ushort.MaxValue)
            {
                throw new ArgumentException("Each origin must fit in 65,535 octets.", nameof(origins));
            }
        }

        Origins = origins;
    }

    /// <summary>The origins, in the order sent.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Origin;

    /// <inheritdoc/>
    public override FrameFlags Flags => FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength
    {
        get
        {
            int length = 0;
            foreach (string origin in Origins)
            {
                length += OriginLengthSize + origin.Length;
            }

            return length;
        }
    }

    /// <summary>Writes an ORIGIN frame.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="origins">The origins.</param>
    public static void Write(IBufferWriter<byte> destination, IReadOnlyList<string> origins) => new OriginFrame(origins).WriteTo(destination);

    /// <summary>Reads the origin entries; <see langword="false"/> when an entry overruns the payload.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload, out List<string> origins)
    {
        origins = [];

        // RFC 8336 §2.1: ORIGIN on a stream other than 0 is ignored, not an error.
        if (header.StreamId != 0)
        {
            return FrameError.Ignore;
        }

        while (!payload.IsEmpty)
        {
            if (payload.Length < OriginLengthSize)
            {
                return FrameError.Ignore;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (length > payload.Length - OriginLengthSize)
            {
                return FrameError.Ignore;
            }

            origins.Add(Latin1.GetString(payload.Slice(OriginLengthSize, length)));
            payload = payload[(OriginLengthSize + length)..];
        }

        return null;
    }

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload, out List<string> origins), header, payload, handler))
        {
            handler.OnOrigin(origins);
        }
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        foreach (string origin in Origins)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)origin.Length);
            int written = OriginLengthSize + Latin1.GetBytes(origin, destination[OriginLengthSize..]);
            destination = destination[written..];
        }
    }
}
