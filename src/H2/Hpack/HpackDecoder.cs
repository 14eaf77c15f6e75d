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

    // The ceiling for MaxStringLength: Huffman output of this much stays far below array limits.
    private const int MaxStringLengthLimit = 256 * 1024 * 1024;

    // Huffman output up to this size is decoded into a buffer kept by the decoder; longer strings
    // use a pooled array for the one call.
    private const int ScratchSize = 4096;

    private readonly HpackDynamicTable _table;
    private int _maxAllowedTableSize;
    private int _maxHeaderListSize = DefaultMaxHeaderListSize;
    private int _maxStringLength = DefaultMaxStringLength;
    private bool _sizeUpdateRequired;

    // While a size update is required: the smallest allowed size since the last block, which the
    // first update must not exceed (RFC 7541 §4.2: the smallest size is signalled first).
    private int _smallestAllowedSize;
    private byte[]? _scratch;

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
            if (_sizeUpdateRequired)
            {
                _smallestAllowedSize = Math.Min(_smallestAllowedSize, value);
            }
            else if (value < _table.MaxSize)
            {
                _sizeUpdateRequired = true;
                _smallestAllowedSize = value;
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

    /// <summary>
    /// The largest encoded length a single string literal may declare, at most 256 MiB. A longer
    /// string is skipped undecoded and the block fails with <see cref="HpackErrorKind.HeaderListTooLarge"/>,
    /// which leaves the compression context intact, as long as this limit is at least the dynamic
    /// table size (so that such a string could never have entered the table); otherwise the block
    /// fails with <see cref="HpackErrorKind.StringTooLong"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or above 256 MiB.</exception>
    public int MaxStringLength
    {
        get => _maxStringLength;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxStringLengthLimit);
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
                (string? name, string? value) = ReadLiteral(block, ref position, 6, indexing: true);
                if (name is null || value is null)
                {
                    // Skipped as too long: as an entry it is larger than the table, so it empties it.
                    _table.Clear();
                    listSize = long.MaxValue / 2;
                    seenField = true;
                    continue;
                }

                field = new HeaderField(name, value);
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

                if (_sizeUpdateRequired && size > _smallestAllowedSize)
                {
                    throw new HpackDecodingException(
                        HpackErrorKind.TableSizeUpdateMissing,
                        $"The first size update ({size}) is above the smallest allowed size {_smallestAllowedSize} since the last block.");
                }

                _table.SetMaxSize(size);
                _sizeUpdateRequired = false;
                continue;
            }
            else
            {
                // Literal without indexing (0000) or never indexed (0001) (RFC 7541 §6.2.2, §6.2.3).
                (string? name, string? value) = ReadLiteral(block, ref position, 4, indexing: false);
                if (name is null || value is null)
                {
                    listSize = long.MaxValue / 2;
                    seenField = true;
                    continue;
                }

                field = new HeaderField(name, value, Sensitive: (first & 0x10) != 0);
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
                listSize >= long.MaxValue / 2
                    ? $"A string literal in the header block exceeds the limit of {_maxStringLength} octets."
                    : $"Decoded header list of {listSize} octets exceeds the limit of {_maxHeaderListSize}.");
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

    /// <summary>Reads a literal field; a <see langword="null"/> name or value means a string was too long and skipped.</summary>
    private (string? Name, string? Value) ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits, bool indexing)
    {
        int nameIndex = HpackInteger.Read(block, ref position, prefixBits);
        string? name = nameIndex == 0 ? ReadString(block, ref position, isName: true, indexing) : GetIndexed(nameIndex).Name;
        string? value = ReadString(block, ref position, isName: false, indexing);
        return (name, value);
    }

    private string? ReadString(ReadOnlySpan<byte> block, ref int position, bool isName, bool indexing)
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
        if (length > _maxStringLength)
        {
            // Such a string can be skipped, keeping the context intact, only if it could not have
            // entered the dynamic table: an entry larger than the table just empties it.
            if (indexing && _maxStringLength < _table.MaxSize)
            {
                throw new HpackDecodingException(
                    HpackErrorKind.StringTooLong,
                    $"String literal of {length} octets exceeds the limit of {_maxStringLength}.");
            }

            return null;
        }

        if (!huffman)
        {
            return ToString(encoded, isName);
        }

        int maxDecoded = Huffman.GetMaxDecodedLength(length);
        if (maxDecoded <= ScratchSize)
        {
            _scratch ??= new byte[ScratchSize];
            return ToString(_scratch.AsSpan(0, Huffman.Decode(encoded, _scratch)), isName);
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

    private static string ToString(ReadOnlySpan<byte> octets, bool isName) =>
        (isName ? HpackStaticTable.FindInternedName(octets) : null) ?? Latin1.GetString(octets);
}
