namespace H2.Hpack;

/// <summary>The prefixed integer representation of RFC 7541 §5.1, for prefixes of 1 to 8 bits.</summary>
internal static class HpackInteger
{
    /// <summary>The most octets <see cref="Write"/> can need for a 31-bit value.</summary>
    public const int MaxLength = 6;

    /// <summary>
    /// Writes <paramref name="value"/> with an N-bit prefix into <paramref name="destination"/>,
    /// keeping the high bits of the first octet from <paramref name="firstOctetFlags"/>.
    /// </summary>
    /// <returns>The octets written.</returns>
    public static int Write(int value, int prefixBits, byte firstOctetFlags, Span<byte> destination)
    {
        int max = (1 << prefixBits) - 1;
        if (value < max)
        {
            destination[0] = (byte)(firstOctetFlags | value);
            return 1;
        }

        destination[0] = (byte)(firstOctetFlags | max);
        int written = 1;
        uint rest = (uint)(value - max);
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }

    /// <summary>
    /// Reads an integer with an N-bit prefix starting at <paramref name="position"/> and moves past it.
    /// </summary>
    /// <exception cref="HpackDecodingException">The integer is cut short or exceeds 2^31-1.</exception>
    public static int Read(ReadOnlySpan<byte> source, ref int position, int prefixBits)
    {
        if (!TryRead(source, ref position, prefixBits, out int value))
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends inside an integer.");
        }

        return value;
    }

    /// <summary>
    /// Reads an integer as <see cref="Read"/> does, but reports a cut-short integer by returning
    /// <see langword="false"/> (with <paramref name="position"/> then meaningless), so that a decoder
    /// fed fragment by fragment can wait for the rest.
    /// </summary>
    /// <exception cref="HpackDecodingException">The integer exceeds 2^31-1.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, ref int position, int prefixBits, out int value)
    {
        if (position >= source.Length)
        {
            value = 0;
            return false;
        }

        int max = (1 << prefixBits) - 1;
        value = source[position++] & max;
        if (value < max)
        {
            return true;
        }

        long result = max;
        for (int shift = 0; position < source.Length; shift += 7)
        {
            byte octet = source[position++];
            result += (long)(octet & 0x7F) << shift;

            // Five continuation octets carry 35 bits; anything that needs more, or adds up to more
            // than 31 bits, is no integer a peer can legitimately send.
            if (result > int.MaxValue || shift > 28)
            {
                throw new HpackDecodingException(HpackErrorKind.IntegerOverflow, "Integer in header block exceeds 2^31-1.");
            }

            if ((octet & 0x80) == 0)
            {
                value = (int)result;
                return true;
            }
        }

        return false;
    }
}
