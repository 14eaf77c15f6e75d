using System.Buffers;

namespace H2.Hpack;

/// <summary>
/// Encodes header lists into HPACK header blocks (RFC 7541). One encoder serves one direction of
/// one connection: its dynamic table carries state from block to block, in step with the peer's decoder.
/// </summary>
/// <remarks>
/// <para>For each field the encoder picks, in order:</para>
/// <list type="number">
/// <item>a never-indexed literal if the field is sensitive (see below);</item>
/// <item>an indexed field if the static or dynamic table holds the same name and value;</item>
/// <item>else a literal whose name is an index when a table holds the name, entered into the
/// dynamic table unless the indexing rules below say otherwise.</item>
/// </list>
/// <para>
/// Each string literal is Huffman-coded only when that is shorter than the raw octets
/// (see <see cref="HuffmanMode"/>). The rules below are those of <see cref="HpackIndexingPolicy.Default"/>;
/// <see cref="IndexingPolicy"/> selects others.
/// </para>
/// <para>
/// Sensitive fields: those with <see cref="HeaderField.Sensitive"/> set, every
/// <c>authorization</c> and <c>proxy-authorization</c> field, and <c>cookie</c> fields with a value
/// under 20 octets, which are short enough to guess (RFC 7541 §7.1.3). They are never entered into a
/// table and are sent as "never indexed", which intermediaries must preserve.
/// </para>
/// <para>
/// Not entered into the dynamic table: fields larger than three quarters of the table, which
/// would flush most of it for one entry; and fields whose values rarely repeat — <c>:path</c>,
/// <c>age</c>, <c>content-length</c>, <c>etag</c>, <c>if-modified-since</c>, <c>if-none-match</c>,
/// <c>location</c> and <c>set-cookie</c> — which would only push out entries that do repeat.
/// </para>
/// </remarks>
public sealed class HpackEncoder
{
    /// <summary>The initial dynamic table size of RFC 7541 and RFC 9113 §6.5.2: 4,096 octets.</summary>
    public const int DefaultHeaderTableSize = 4096;

    // A field's encoding is at most: a prefixed name index or a length and the name, then a
    // length and the value; each integer takes at most HpackInteger.MaxLength octets.
    private const int FieldOverhead = 3 * HpackInteger.MaxLength;

    private const int ShortCookieLength = 20;

    private readonly HpackEncoderTable _table;
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private int _headerTableSize;
    private int _smallestPendingSize;
    private bool _sizeUpdatePending;

    /// <summary>Creates an encoder whose dynamic table starts at the RFC's initial size of 4,096 octets.</summary>
    public HpackEncoder()
        : this(DefaultHeaderTableSize)
    {
    }

    /// <summary>
    /// Creates an encoder whose dynamic table starts with a maximum size both sides already agree on,
    /// without a size update (as in the examples of RFC 7541 Appendix C.5).
    /// </summary>
    /// <param name="headerTableSize">The initial maximum size.</param>
    public HpackEncoder(int headerTableSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headerTableSize);
        _table = new HpackEncoderTable(headerTableSize);
        _headerTableSize = headerTableSize;
    }

    /// <summary>
    /// The dynamic table size this encoder uses; at most the peer's SETTINGS_HEADER_TABLE_SIZE.
    /// A change is signalled by a dynamic table size update at the start of the next block: the
    /// smallest size set since the last block and then the final one, if it shrank and grew again
    /// (RFC 7541 §4.2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int HeaderTableSize
    {
        get => _headerTableSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            if (_sizeUpdatePending)
            {
                _smallestPendingSize = Math.Min(_smallestPendingSize, value);
            }
            else if (value != _table.MaxSize)
            {
                _sizeUpdatePending = true;
                _smallestPendingSize = value;
            }

            _headerTableSize = value;
        }
    }

    /// <summary>Which fields enter the dynamic table; <see cref="HpackIndexingPolicy.Default"/> unless set.</summary>
    public HpackIndexingPolicy IndexingPolicy { get; set; }

    /// <summary>When string literals are Huffman-coded; <see cref="HpackHuffmanMode.WhenShorter"/> unless set.</summary>
    public HpackHuffmanMode HuffmanMode { get; set; }

    /// <summary>The number of entries in the dynamic table.</summary>
    public int DynamicTableCount => _table.Count;

    /// <summary>The summed size of the dynamic table's entries (RFC 7541 §4.1).</summary>
    public int DynamicTableSize => _table.Size;

    /// <summary>Encodes a header list into a new header block.</summary>
    /// <param name="headers">The fields, in order.</param>
    /// <returns>The header block.</returns>
    /// <exception cref="ArgumentException">
    /// A name or value is null or holds a char above U+00FF. Nothing is encoded and the dynamic
    /// table is left as it was.
    /// </exception>
    public byte[] Encode(IEnumerable<HeaderField> headers)
    {
        _scratch.ResetWrittenCount();
        Encode(headers, _scratch);
        byte[] block = _scratch.WrittenSpan.ToArray();
        _scratch.ResetWrittenCount();
        return block;
    }

    /// <summary>Encodes a header list, writing the header block to <paramref name="destination"/>.</summary>
    /// <param name="headers">The fields, in order.</param>
    /// <param name="destination">Receives the header block.</param>
    /// <exception cref="ArgumentException">
    /// A name or value is null or holds a char above U+00FF. Nothing is written and the dynamic
    /// table is left as it was.
    /// </exception>
    public void Encode(IEnumerable<HeaderField> headers, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(destination);

        // Lists are walked by index so encoding a List or an array allocates no enumerator.
        if (headers is IReadOnlyList<HeaderField> list)
        {
            // Every field is checked before any is encoded, so a bad one leaves the table as it was.
            for (int i = 0; i < list.Count; i++)
            {
                Validate(list[i]);
            }

            EncodeValidated(list, destination);
        }
        else
        {
            HeaderField[] fields = [.. headers];
            Encode(fields, destination);
        }
    }

    /// <summary>Encodes fields the connection has already checked (not null, Latin-1).</summary>
    internal void EncodeValidated(IReadOnlyList<HeaderField> headers, IBufferWriter<byte> destination)
    {
        WriteSizeUpdates(destination);
        for (int i = 0; i < headers.Count; i++)
        {
            EncodeField(headers[i], destination);
        }
    }

    private static void Validate(in HeaderField field)
    {
        if (field.Name is null || field.Value is null)
        {
            throw new ArgumentException("Header field name and value must not be null.", nameof(field));
        }

        if (!Latin1.IsValid(field.Name) || !Latin1.IsValid(field.Value))
        {
            throw new ArgumentException(
                $"Header field '{field.Name}' holds a char above U+00FF; fields carry one octet per char.",
                nameof(field));
        }
    }

    private void WriteSizeUpdates(IBufferWriter<byte> destination)
    {
        if (!_sizeUpdatePending)
        {
            return;
        }

        Span<byte> span = destination.GetSpan(2 * HpackInteger.MaxLength);
        int written = 0;
        if (_smallestPendingSize < _headerTableSize)
        {
            written += HpackInteger.Write(_smallestPendingSize, 5, 0x20, span);
            _table.SetMaxSize(_smallestPendingSize);
        }

        written += HpackInteger.Write(_headerTableSize, 5, 0x20, span[written..]);
        _table.SetMaxSize(_headerTableSize);
        destination.Advance(written);
        _sizeUpdatePending = false;
    }

    private void EncodeField(in HeaderField field, IBufferWriter<byte> destination)
    {
        string name = field.Name;
        string value = field.Value;
        // Huffman codes are at most 30 bits per octet, so forced Huffman may need up to 4 octets per char.
        int textBudget = name.Length + value.Length;
        Span<byte> span = destination.GetSpan(FieldOverhead + (HuffmanMode == HpackHuffmanMode.Always ? 4 * textBudget : textBudget));
        int written;

        int staticMatch = HpackStaticTable.Find(name, value);
        if (field.Sensitive || (IndexingPolicy == HpackIndexingPolicy.Default && IsSensitiveByName(field)))
        {
            // Never indexed (RFC 7541 §6.2.3): the name may come from a table, the value never does.
            written = WriteLiteral(0x10, 4, NameIndex(name, staticMatch), name, value, span);
        }
        else if (staticMatch > 0)
        {
            written = HpackInteger.Write(staticMatch, 7, 0x80, span);
        }
        else if (_table.FindField(name, value) is int dynamicMatch and > 0)
        {
            written = HpackInteger.Write(dynamicMatch, 7, 0x80, span);
        }
        else if (ShouldIndex(field))
        {
            written = WriteLiteral(0x40, 6, NameIndex(name, staticMatch), name, value, span);
            _table.AddAndIndex(field);
        }
        else
        {
            written = WriteLiteral(0x00, 4, NameIndex(name, staticMatch), name, value, span);
        }

        destination.Advance(written);
    }

    private int NameIndex(string name, int staticMatch) => staticMatch switch
    {
        > 0 => HpackStaticTable.FindName(name),
        < 0 => -staticMatch,
        _ => _table.FindName(name),
    };

    private int WriteLiteral(byte pattern, int prefixBits, int nameIndex, string name, string value, Span<byte> span)
    {
        int written = HpackInteger.Write(nameIndex, prefixBits, pattern, span);
        if (nameIndex == 0)
        {
            written += WriteString(name, span[written..]);
        }

        return written + WriteString(value, span[written..]);
    }

    private int WriteString(string text, Span<byte> span)
    {
        HpackHuffmanMode mode = HuffmanMode;
        int huffmanLength = mode == HpackHuffmanMode.Never ? int.MaxValue : Huffman.GetEncodedLength(text);
        if (huffmanLength < text.Length || mode == HpackHuffmanMode.Always)
        {
            int written = HpackInteger.Write(huffmanLength, 7, 0x80, span);
            return written + Huffman.Encode(text, span[written..]);
        }
        else
        {
            int written = HpackInteger.Write(text.Length, 7, 0x00, span);
            return written + Latin1.GetBytes(text, span[written..]);
        }
    }

    private static bool IsSensitiveByName(in HeaderField field) =>
        field.Name is "authorization" or "proxy-authorization"
        || (field.Name == "cookie" && field.Value.Length < ShortCookieLength);

    private bool ShouldIndex(in HeaderField field) => IndexingPolicy switch
    {
        HpackIndexingPolicy.All => true,
        HpackIndexingPolicy.None => false,
        _ => field.Size <= _table.MaxSize / 4 * 3
            && field.Name is not (":path" or "age" or "content-length" or "etag" or "if-modified-since"
                or "if-none-match" or "location" or "set-cookie"),
    };
}
