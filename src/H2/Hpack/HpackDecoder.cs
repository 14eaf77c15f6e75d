using System.Buffers;

namespace H2.Hpack;

/// <summary>
/// Decodes HPACK header blocks (RFC 7541) into header lists. One decoder serves one direction of
/// one connection: its dynamic table carries state from block to block.
/// </summary>
/// <remarks>
/// Every failure is an <see cref="HpackDecodingException"/>; no input makes the decoder throw any
/// other exception. Names that match the static table come back as shared string instances.
/// </remarks>
public sealed class HpackDecoder
{
    /// <summary>The initial dynamic table size of RFC 7541 and RFC 9113 §6.5.2: 4,096 octets.</summary>
    public const int DefaultHeaderTableSize = 4096;

    /// <summary>The default bound on a decoded header list: 65,536 octets counted as SETTINGS_MAX_HEADER_LIST_SIZE counts.</summary>
    public const int DefaultMaxHeaderListSize = 65536;

    /// <summary>The default bound on the encoded length of one string literal: 65,536 octets.</summary>
    public const int DefaultMaxStringLength = 65536;

    // Huffman output up to this size is decoded on the stack; longer strings use a pooled array.
    private const int StackBufferSize = 256;

    private readonly HpackDynamicTable _table;
    private int _maxAllowedTableSize;
    private int _maxHeaderListSize = DefaultMaxHeaderListSize;
    private int _maxStringLength = DefaultMaxStringLength;
    private bool _sizeUpdateRequired;

    /// <summary>Creates a decoder whose dynamic table starts at the RFC's initial size of 4,096 octets.</summary>
    public HpackDecoder()
        : this(DefaultHeaderTableSize)
    {
    }

    /// <summary>
    /// Creates a decoder whose dynamic table starts with a maximum size both sides already agree on,
    /// without a size update (as in the examples of RFC 7541 Appendix C.5).
    /// </summary>
    /// <param name="headerTableSize">The initial maximum size, which is also <see cref="MaxAllowedTableSize"/>.</param>
    public HpackDecoder(int headerTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headerTableSize);
        _table = new HpackDynamicTable(headerTableSize);
        _maxAllowedTableSize = headerTableSize;
    }

    /// <summary>
    /// The largest dynamic table the peer's encoder may use: the SETTINGS_HEADER_TABLE_SIZE we
    /// announced and the peer acknowledged. A size update above it is an error. Lowering it below
    /// the table's current maximum makes a size update mandatory at the start of the next block
    /// (RFC 7541 §4.2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxAllowedTableSize
    {
        get => _maxAllowedTableSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxAllowedTableSize = value;
            if (value < _table.MaxSize)
            {
                _sizeUpdateRequired = true;
            }
        }
    }

    /// <summary>
    /// The largest header list a block may decode to, counting each field as name octets plus
    /// value octets plus 32 (RFC 9113 §6.5.2, SETTINGS_MAX_HEADER_LIST_SIZE).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxHeaderListSize
    {
        get => _maxHeaderListSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxHeaderListSize = value;
        }
    }

    /// <summary>The largest encoded length a single string literal may declare.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxStringLength
    {
        get => _maxStringLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxStringLength = value;
        }
    }

    /// <summary>The dynamic table's current maximum size, as last set by the peer's size update.</summary>
    public int HeaderTableSize => _table.MaxSize;

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>The summed size of the dynamic table's entries (RFC 7541 §4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>Decodes one complete header block.</summary>
    /// <param name="block">The whole header block (all fragments of a HEADERS or PUSH_PROMISE and its CONTINUATIONs).</param>
    /// <returns>The fields in the order they appear in the block.</returns>
    /// <exception cref="HpackDecodingException">The block is malformed or exceeds a limit.</exception>
    public IReadOnlyList<HeaderField> Decode(ReadOnlySpan<byte> block)
    {
        var fields = new List<HeaderField>();
        Decode(block, fields);
        return fields;
    }

    /// <summary>Decodes one complete header block, appending the fields to <paramref name="destination"/>.</summary>
    /// <param name="block">The whole header block.</param>
    /// <param name="destination">Receives the fields in block order.</param>
    /// <exception cref="HpackDecodingException">
    /// The block is malformed or exceeds a limit; no field of the block is left in
    /// <paramref name="destination"/>. When the header list is too large, the block has still been
    /// decoded to its end, so the dynamic table is in step with the peer's encoder.
    /// </exception>
    public void Decode(ReadOnlySpan<byte> block, List<HeaderField> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        int start = destination.Count;
        try
        {
            DecodeFields(block, destination);
        }
        catch (HpackDecodingException)
        {
            destination.RemoveRange(start, destination.Count - start);
            throw;
        }
    }

    private void DecodeFields(ReadOnlySpan<byte> block, List<HeaderField> destination)
    {
        int position = 0;
        long listSize = 0;
        bool seenField = false;

        if (_sizeUpdateRequired && (block.IsEmpty || (block[0] & 0xE0) != 0x20))
        {
            throw new HpackDecodingException(
                HpackErrorKind.TableSizeUpdateMissing,
                "Header block does not begin with the dynamic table size update required after the allowed size was lowered.");
        }

        while (position < block.Length)
        {
            byte first = block[position];
            HeaderField field;
            if ((first & 0x80) != 0)
            {
                // Indexed header field (RFC 7541 §6.1).
                field = GetIndexed(HpackInteger.Read(block, ref position, 7));
            }
            else if ((first & 0x40) != 0)
            {
                // Literal with incremental indexing (RFC 7541 §6.2.1).
                field = ReadLiteral(block, ref position, 6, sensitive: false);
                _table.Add(field);
            }
            else if ((first & 0x20) != 0)
            {
                // Dynamic table size update (RFC 7541 §6.3): only before the first field (§4.2).
                if (seenField)
                {
                    throw new HpackDecodingException(
                        HpackErrorKind.TableSizeUpdateNotAtStart,
                        "Dynamic table size update after a header field representation.");
                }

                int size = HpackInteger.Read(block, ref position, 5);
                if (size > _maxAllowedTableSize)
                {
                    throw new HpackDecodingException(
                        HpackErrorKind.TableSizeTooLarge,
                        $"Dynamic table size update to {size} exceeds the allowed {_maxAllowedTableSize}.");
                }

                _table.SetMaxSize(size);
                _sizeUpdateRequired = false;
                continue;
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001) (RFC 7541 §6.2.2, §6.2.3).
                field = ReadLiteral(block, ref position, 4, sensitive: (first & 0x10) != 0);
            }

            seenField = true;
            listSize += field.Size;
            if (listSize <= _maxHeaderListSize)
            {
                destination.Add(field);
            }
        }

        if (listSize > _maxHeaderListSize)
        {
            throw new HpackDecodingException(
                HpackErrorKind.HeaderListTooLarge,
                $"Decoded header list of {listSize} octets exceeds the limit of {_maxHeaderListSize}.");
        }
    }

    private HeaderField GetIndexed(int index)
    {
        if (index == 0)
        {
            throw new HpackDecodingException(HpackErrorKind.InvalidIndex, "Index 0 is not a valid table index.");
        }

        if (index <= HpackStaticTable.Count)
        {
            return HpackStaticTable.Get(index);
        }

        int dynamicIndex = index - HpackStaticTable.Count;
        if (dynamicIndex > _table.Count)
        {
            throw new HpackDecodingException(
                HpackErrorKind.InvalidIndex,
                $"Index {index} is beyond the {HpackStaticTable.Count} static and {_table.Count} dynamic entries.");
        }

        return _table[dynamicIndex];
    }

    private HeaderField ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits, bool sensitive)
    {
        int nameIndex = HpackInteger.Read(block, ref position, prefixBits);
        string name = nameIndex == 0 ? ReadString(block, ref position, isName: true) : GetIndexed(nameIndex).Name;
        string value = ReadString(block, ref position, isName: false);
        return new HeaderField(name, value, sensitive);
    }

    private string ReadString(ReadOnlySpan<byte> block, ref int position, bool isName)
    {
        if (position >= block.Length)
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends before a string literal.");
        }

        bool huffman = (block[position] & 0x80) != 0;
        int length = HpackInteger.Read(block, ref position, 7);
        if (length > _maxStringLength)
        {
            throw new HpackDecodingException(
                HpackErrorKind.StringTooLong,
                $"String literal of {length} octets exceeds the limit of {_maxStringLength}.");
        }

        if (length > block.Length - position)
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends inside a string literal.");
        }

        ReadOnlySpan<byte> encoded = block.Slice(position, length);
        position += length;
        if (!huffman)
        {
            return ToString(encoded, isName);
        }

        int maxDecoded = Huffman.GetMaxDecodedLength(length);
        byte[]? rented = null;
        Span<byte> buffer = maxDecoded <= StackBufferSize
            ? stackalloc byte[StackBufferSize]
            : (rented = ArrayPool<byte>.Shared.Rent(maxDecoded));
        try
        {
            int decoded = Huffman.Decode(encoded, buffer);
            return ToString(buffer[..decoded], isName);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string ToString(ReadOnlySpan<byte> octets, bool isName) =>
        (isName ? HpackStaticTable.FindInternedName(octets) : null) ?? Latin1.GetString(octets);
}
