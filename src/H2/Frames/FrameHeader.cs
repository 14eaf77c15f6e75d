using System.Buffers.Binary;

namespace H2.Frames;

/// <summary>The fixed nine-octet header that starts every frame (RFC 9113 §4.1).</summary>
/// <param name="Length">The payload length, 0 to 2^24-1.</param>
/// <param name="Type">The frame type; extension types are kept as their number.</param>
/// <param name="Flags">The flag bits as sent, including any this implementation does not define.</param>
/// <param name="StreamId">The stream identifier, with the reserved bit removed.</param>
public readonly record struct FrameHeader(int Length, FrameType Type, FrameFlags Flags, int StreamId)
{
    /// <summary>The size of a frame header in octets.</summary>
    public const int Size = 9;

    /// <summary>The largest value the 24-bit length field can carry.</summary>
    public const int MaxLength = (1 << 24) - 1;

    /// <summary>Whether any of the given flag bits is set.</summary>
    /// <param name="flag">The flag or flags to test.</param>
    /// <returns><see langword="true"/> if at least one is set.</returns>
    public bool HasFlag(FrameFlags flag) => (Flags & flag) != 0;

    /// <summary>Reads a header from the first nine octets of <paramref name="source"/>.</summary>
    /// <param name="source">At least nine octets.</param>
    /// <returns>The header; the reserved bit of the stream identifier is ignored (RFC 9113 §4.1).</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> is shorter than nine octets.</exception>
    public static FrameHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Size)
        {
            throw new ArgumentException("A frame header needs nine octets.", nameof(source));
        }

        int length = (source[0] << 16) | (source[1] << 8) | source[2];
        return new FrameHeader(length, (FrameType)source[3], (FrameFlags)source[4], ReadStreamId(source[5..]));
    }

    /// <summary>Writes this header into the first nine octets of <paramref name="destination"/>, reserved bit zero.</summary>
    /// <param name="destination">At least nine octets.</param>
    /// <exception cref="ArgumentException">The destination is too short, or a field is out of range.</exception>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("A frame header needs nine octets.", nameof(destination));
        }

        if ((uint)Length > MaxLength)
        {
            throw new ArgumentException($"Frame length {Length} does not fit in 24 bits.", nameof(destination));
        }

        if (StreamId < 0)
        {
            throw new ArgumentException("Stream identifiers are 31-bit non-negative numbers.", nameof(destination));
        }

        destination[0] = (byte)(Length >> 16);
        destination[1] = (byte)(Length >> 8);
        destination[2] = (byte)Length;
        destination[3] = (byte)Type;
        destination[4] = (byte)Flags;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], StreamId);
    }

    /// <summary>Reads a 31-bit stream identifier, dropping the reserved high bit.</summary>
    internal static int ReadStreamId(ReadOnlySpan<byte> source) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(source) & 0x7FFF_FFFF);
}
