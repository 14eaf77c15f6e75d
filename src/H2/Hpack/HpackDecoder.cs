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

    // The least carry-over buffer rented, so a representation growing over a few fragments is not copied each time.
    private const int PendingReserve = 4096;

    private readonly HpackDynamicTable _table;
    private int _maxAllowedTableSize;
    private int _maxHeaderListSize = DefaultMaxHeaderListSize;
    private int _maxStringLength = DefaultMaxStringLength;
    private bool _sizeUpdateRequired;

    // While a size update is required: the smallest allowed size since the last block, which the
    // first update must not exceed (RFC 7541 §4.2: the smallest size is signalled first).
    private int _smallestAllowedSize;
    private int? _headerListHardLimit;

    // A block fed fragment by fragment: how far it has got, and a representation cut by the end
    // of the last fragment, kept until the next one completes it.
    private bool _inBlock;
    private HpackBlockProgress _block;
    private int _listStart;
    private PooledBuffer _pending;

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

    /// <summary>
    /// The decoded size at which a block is abandoned at once, rather than decoded to its end and
    /// refused: <see cref="HpackErrorKind.HeaderListFarTooLarge"/>, which ends the compression
    /// context. <see langword="null"/> (the default) means twice <see cref="MaxHeaderListSize"/>.
    /// A peer that sends far more than we announced is not worth decoding for.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? HeaderListHardLimit
    {
        get => _headerListHardLimit;
        set
        {
            if (value is int limit)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(limit);
            }

            _headerListHardLimit = value;
        }
    }

    /// <summary>Whether a block has begun with <see cref="DecodeFragment"/> and awaits its last fragment.</summary>
    public bool IsInBlock => _inBlock;

    private long HardLimit => Math.Max(_headerListHardLimit ?? 2L * _maxHeaderListSize, _maxHeaderListSize);

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
    /// <exception cref="InvalidOperationException">A block fed with <see cref="DecodeFragment"/> is unfinished.</exception>
    public void Decode(ReadOnlySpan<byte> block, List<HeaderField> destination)
    {
        if (_inBlock)
        {
            throw new InvalidOperationException("A header block fed fragment by fragment is unfinished.");
        }

        DecodeFragment(block, endOfBlock: true, destination);
    }

    /// <summary>
    /// Decodes the next fragment of a header block as it arrives (a HEADERS or PUSH_PROMISE frame,
    /// then each CONTINUATION), so a block is decoded once, never re-parsed as it grows. Fields are
    /// appended to <paramref name="destination"/> as they complete; a representation cut by the end
    /// of a fragment is kept, and only it, until the next fragment completes it. The frame layer
    /// bounds how large a whole block may grow (<see cref="Frames.FrameReader.MaxHeaderBlockSize"/>).
    /// </summary>
    /// <param name="fragment">The next fragment, possibly empty.</param>
    /// <param name="endOfBlock">Whether this is the last fragment (END_HEADERS was set).</param>
    /// <param name="destination">Receives the fields; pass the same list for every fragment of a block.</param>
    /// <exception cref="HpackDecodingException">
    /// The block is malformed or exceeds a limit; the block's fields are removed from
    /// <paramref name="destination"/> and the block is over. <see cref="HpackErrorKind.HeaderListTooLarge"/>
    /// comes only with the last fragment, once the block was decoded to its end.
    /// </exception>
    public void DecodeFragment(ReadOnlySpan<byte> fragment, bool endOfBlock, List<HeaderField> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!_inBlock)
        {
            _listStart = destination.Count;
        }

        var sink = new ListSink(destination);
        try
        {
            DecodeFragment(fragment, endOfBlock, ref sink);
        }
        catch (HpackDecodingException)
        {
            destination.RemoveRange(_listStart, destination.Count - _listStart);
            throw;
        }
    }

    /// <summary>
    /// Decodes the next fragment of a block as <see cref="DecodeFragment(ReadOnlySpan{byte}, bool, List{HeaderField})"/>
    /// does, handing each field to <paramref name="sink"/> as it is decoded; fields beyond
    /// <see cref="MaxHeaderListSize"/> are not handed on. On failure the block is over and the sink
    /// should be discarded.
    /// </summary>
    internal void DecodeFragment<TSink>(ReadOnlySpan<byte> fragment, bool endOfBlock, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        if (!_inBlock)
        {
            _inBlock = true;
            _block = default;
        }

        try
        {
            if (_pending.IsEmpty)
            {
                int used = DecodeRepresentations(fragment, endOfBlock, ref sink);
                _pending.Append(fragment[used..], PendingReserve);
            }
            else
            {
                _pending.Append(fragment, PendingReserve);
                _pending.Consume(DecodeRepresentations(_pending.Span, endOfBlock, ref sink));
            }

            if (endOfBlock)
            {
                FinishBlock();
            }
        }
        catch (HpackDecodingException)
        {
            EndBlock();
            throw;
        }
    }

    /// <summary>Checks what only the whole block can tell, and ends it.</summary>
    private void FinishBlock()
    {
        if (!_pending.IsEmpty)
        {
            throw new HpackDecodingException(HpackErrorKind.Truncated, "Header block ends inside a field representation.");
        }

        if (_sizeUpdateRequired && !_block.HasRepresentation)
        {
            throw new HpackDecodingException(
                HpackErrorKind.TableSizeUpdateMissing,
                "Header block does not begin with the dynamic table size update required after the allowed size was lowered.");
        }

        if (_block.ListSize > _maxHeaderListSize || _block.SkippedString)
        {
            throw new HpackDecodingException(
                HpackErrorKind.HeaderListTooLarge,
                _block.SkippedString
                    ? $"A string literal in the header block exceeds the limit of {_maxStringLength} octets."
                    : $"Decoded header list of {_block.ListSize} octets exceeds the limit of {_maxHeaderListSize}.");
        }

        EndBlock();
    }

    private void EndBlock()
    {
        _inBlock = false;
        _pending.Clear();
    }

    /// <summary>
    /// Decodes the complete representations at the start of <paramref name="input"/>; unless this
    /// is the end of the block, stops before one that is cut short.
    /// </summary>
    /// <returns>How many octets were decoded.</returns>
    private int DecodeRepresentations<TSink>(ReadOnlySpan<byte> input, bool endOfBlock, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        int position = 0;
        HpackBlockProgress block = _block;
        try
        {
            while (position < input.Length)
            {
                if (!endOfBlock && !HpackStringReader.IsComplete(input[position..]))
                {
                    break;
                }

                DecodeRepresentation(input, ref position, ref block, ref sink);
            }
        }
        finally
        {
            _block = block;
        }

        return position;
    }

    private void DecodeRepresentation<TSink>(ReadOnlySpan<byte> input, ref int position, ref HpackBlockProgress block, ref TSink sink)
        where TSink : struct, IHeaderSink
    {
        byte first = input[position];
        if (_sizeUpdateRequired && !block.HasRepresentation && (first & 0xE0) != 0x20)
        {
            throw new HpackDecodingException(
                HpackErrorKind.TableSizeUpdateMissing,
                "Header block does not begin with the dynamic table size update required after the allowed size was lowered.");
        }

        block.HasRepresentation = true;
        HeaderField field;
        if ((first & 0x80) != 0)
        {
            // Indexed header field (RFC 7541 §6.1).
            field = GetIndexed(HpackInteger.Read(input, ref position, 7));
        }
        else if ((first & 0x40) != 0)
        {
            // Literal with incremental indexing (RFC 7541 §6.2.1).
            (string? name, string? value, int skipped) = ReadLiteral(input, ref position, 6, indexing: true);
            if (name is null || value is null)
            {
                // Skipped as too long: as an entry it is larger than the table, so it empties it.
                _table.Clear();
                CountSkipped(ref block, name, value, skipped);
                return;
            }

            field = new HeaderField(name, value);
            _table.Add(field);
        }
        else if ((first & 0x20) != 0)
        {
            // Dynamic table size update (RFC 7541 §6.3): only before the first field (§4.2).
            if (block.HasField)
            {
                throw new HpackDecodingException(
                    HpackErrorKind.TableSizeUpdateNotAtStart,
                    "Dynamic table size update after a header field representation.");
            }

            int size = HpackInteger.Read(input, ref position, 5);
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
            return;
        }
        else
        {
            // Literal without indexing (0000) or never indexed (0001) (RFC 7541 §6.2.2, §6.2.3).
            (string? name, string? value, int skipped) = ReadLiteral(input, ref position, 4, indexing: false);
            if (name is null || value is null)
            {
                CountSkipped(ref block, name, value, skipped);
                return;
            }

            field = new HeaderField(name, value, Sensitive: (first & 0x10) != 0);
        }

        block.HasField = true;
        block.ListSize += field.Size;
        if (block.ListSize <= _maxHeaderListSize)
        {
            sink.OnField(field);
        }
        else if (block.ListSize > HardLimit)
        {
            throw FarTooLarge(block.ListSize);
        }
    }

    /// <summary>Counts a field whose over-long string was skipped, at least as large as its encoded octets.</summary>
    private void CountSkipped(ref HpackBlockProgress block, string? name, string? value, int skipped)
    {
        block.HasField = true;
        block.SkippedString = true;
        block.ListSize += HeaderField.EntryOverhead + (name?.Length ?? 0) + (value?.Length ?? 0) + (long)skipped;
        if (block.ListSize > HardLimit)
        {
            throw FarTooLarge(block.ListSize);
        }
    }

    private HpackDecodingException FarTooLarge(long listSize) =>
        new(
            HpackErrorKind.HeaderListFarTooLarge,
            $"Header list of at least {listSize} octets is far beyond the limit of {_maxHeaderListSize}; the block is not decoded further.");

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

    /// <summary>
    /// Reads a literal field; a <see langword="null"/> name or value means a string was too long and
    /// skipped, and <c>Skipped</c> counts the octets skipped.
    /// </summary>
    private (string? Name, string? Value, int Skipped) ReadLiteral(ReadOnlySpan<byte> block, ref int position, int prefixBits, bool indexing)
    {
        int nameIndex = HpackInteger.Read(block, ref position, prefixBits);
        int skipped = 0;
        // An over-long string can be skipped, keeping the context intact, only if it could not have
        // entered the dynamic table: an entry larger than the table just empties it.
        bool maySkip = !indexing || _maxStringLength >= _table.MaxSize;
        string? name = nameIndex == 0 ? HpackStringReader.Read(block, ref position, isName: true, _maxStringLength, maySkip, ref skipped) : GetIndexed(nameIndex).Name;
        string? value = HpackStringReader.Read(block, ref position, isName: false, _maxStringLength, maySkip, ref skipped);
        return (name, value, skipped);
    }

    /// <summary>The sink of the public overloads: the fields appended to a list.</summary>
    private readonly struct ListSink(List<HeaderField> destination) : IHeaderSink
    {
        public void OnField(in HeaderField field) => destination.Add(field);
    }
}
