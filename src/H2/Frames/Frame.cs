using System.Buffers;

namespace H2.Frames;

/// <summary>
/// A parsed or to-be-written HTTP/2 frame. Each frame type is a sealed subclass that keeps its
/// reading and writing side by side; the static <c>Write</c> methods on each type write the same
/// bytes without creating an object.
/// </summary>
public abstract class Frame
{
    private protected Frame(int streamId)
    {
        StreamId = streamId;
    }

    /// <summary>The stream identifier; 0 for frames about the whole connection.</summary>
    public int StreamId { get; }

    /// <summary>The frame type.</summary>
    public abstract FrameType Type { get; }

    /// <summary>The flag bits this frame is written with.</summary>
    public abstract FrameFlags Flags { get; }

    /// <summary>The payload length this frame is written with.</summary>
    public abstract int PayloadLength { get; }

    /// <summary>The frame header this frame is written with.</summary>
    public FrameHeader Header => new(PayloadLength, Type, Flags, StreamId);

    /// <summary>Writes the whole frame, header and payload, to the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="FrameHeader.Size"/> + <see cref="PayloadLength"/> octets.</param>
    /// <returns>The octets written.</returns>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int payloadLength = PayloadLength;
        int total = FrameHeader.Size + payloadLength;
        if (destination.Length < total)
        {
            throw new ArgumentException($"The frame needs {total} octets.", nameof(destination));
        }

        Header.Write(destination);
        WritePayload(destination.Slice(FrameHeader.Size, payloadLength));
        return total;
    }

    /// <summary>Writes the whole frame, header and payload, to <paramref name="destination"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    public void WriteTo(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int written = WriteTo(destination.GetSpan(FrameHeader.Size + PayloadLength));
        destination.Advance(written);
    }

    /// <summary>Returns the whole frame, header and payload, as a new array.</summary>
    /// <returns>The serialized frame.</returns>
    public byte[] ToArray()
    {
        var bytes = new byte[FrameHeader.Size + PayloadLength];
        WriteTo(bytes);
        return bytes;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Type} frame (stream {StreamId}, flags {Flags}, {PayloadLength} octets)";

    /// <summary>Writes the payload into a span of exactly <see cref="PayloadLength"/> octets.</summary>
    private protected abstract void WritePayload(Span<byte> destination);

    /// <summary>
    /// Reserves room for one frame in <paramref name="destination"/>, writes its header, and returns
    /// the span for its payload; the caller fills it and then advances by <paramref name="total"/>.
    /// </summary>
    private protected static Span<byte> BeginFrame(
        IBufferWriter<byte> destination, FrameType type, FrameFlags flags, int streamId, int payloadLength, out int total)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if ((uint)payloadLength > FrameHeader.MaxLength)
        {
            throw new ArgumentException($"A frame payload of {payloadLength} octets does not fit in the 24-bit length field.");
        }

        total = FrameHeader.Size + payloadLength;
        if (destination is IFrameCounter counter)
        {
            counter.FrameWritten();
        }

        Span<byte> span = destination.GetSpan(total);
        new FrameHeader(payloadLength, type, flags, streamId).Write(span);
        return span.Slice(FrameHeader.Size, payloadLength);
    }

    /// <summary>Checks a stream identifier for a frame type that belongs to a stream.</summary>
    private protected static int RequireStream(int streamId, string paramName)
    {
        if (streamId <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, streamId, "This frame type must be sent on a stream (identifier 1 to 2^31-1).");
        }

        return streamId;
    }

    /// <summary>Checks a value for a 31-bit field (stream identifiers inside payloads, window increments).</summary>
    private protected static int RequireNonNegative(int value, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, paramName);
        return value;
    }
}
