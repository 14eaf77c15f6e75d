using System.Buffers;

namespace H2.Hpack;

/// <summary>
/// String literals of RFC 7541 §5.2: telling whether a representation lies whole in the input,
/// and reading a literal (raw or Huffman-coded) into a string.
/// </summary>
internal static class HpackStringReader
{
    // Huffman output up to this size is decoded on the stack; longer strings use a pooled array
    // for the one call, so a connection keeps no decoding buffer of its own between blocks.
    private const int StackScratchSize = 256;

    /// <summary>
    /// Whether the representation at the start of <paramref name="input"/> lies there whole, judged
    /// from its integers and string lengths alone, without decoding it.
    /// </summary>
    public static bool IsComplete(ReadOnlySpan<byte> input)
    {
        byte first = input[0];
        int position = 0;
        int prefixBits = (first & 0x80) != 0 ? 7 : (first & 0x40) != 0 ? 6 : (first & 0x20) != 0 ? 5 : 4;
        if (!HpackInteger.TryRead(input, ref position, prefixBits, out int index))
        {
            return false;
        }

        if (prefixBits is 7 or 5)
        {
            return true;
        }

        return (index != 0 || Skip(input, ref position)) && Skip(input, ref position);
    }

    /// <summary>
    /// Reads a string literal. One longer than <paramref name="maxLength"/> is skipped
    /// (<see langword="null"/>, its length added to <paramref name="skipped"/>) if
    /// <paramref name="maySkip"/>, else it fails the block.
    /// </summary>
    /// <exception cref="HpackDecodingException">The input ends inside the literal, its Huffman code is invalid, or it is too long to skip.</exception>
    public static string? Read(ReadOnlySpan<byte> block, ref int position, bool isName, int maxLength, bool maySkip, ref int skipped)
    {
        if (position >= block.Length)
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends before a string literal.");
        }

        bool huffman = (block[position] & 0x80) != 0;
        int length = HpackInteger.Read(block, ref position, 7);
        if (length > block.Length - position)
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends inside a string literal.");
        }

        ReadOnlySpan<byte> encoded = block.Slice(position, length);
        position += length;
        if (length > maxLength)
        {
            if (!maySkip)
            {
                throw new HpackDecodingException(
                    HpackErrorKind.StringTooLong,
                    $"String literal of {length} octets exceeds the limit of {maxLength}.");
            }

            skipped += length;
            return null;
        }

        if (!huffman)
        {
            return ToString(encoded, isName);
        }

        int maxDecoded = Huffman.GetMaxDecodedLength(length);
        if (maxDecoded <= StackScratchSize)
        {
            Span<byte> decoded = stackalloc byte[StackScratchSize];
            return ToString(decoded[..Huffman.Decode(encoded, decoded)], isName);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(maxDecoded);
        try
        {
            return ToString(rented.AsSpan(0, Huffman.Decode(encoded, rented)), isName);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool Skip(ReadOnlySpan<byte> input, ref int position)
    {
        if (!HpackInteger.TryRead(input, ref position, 7, out int length) || length > input.Length - position)
        {
            return false;
        }

        position += length;
        return true;
    }

    // Names that match the static table come back as the shared instances.
    private static string ToString(ReadOnlySpan<byte> octets, bool isName) =>
        (isName ? HpackStaticTable.FindInternedName(octets) : null) ?? Latin1.GetString(octets);
}
