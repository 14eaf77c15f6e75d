namespace H2.Hpack;

/// <summary>What made a header block undecodable; see <see cref="HpackDecodingException.Kind"/>.</summary>
public enum HpackErrorKind
{
    /// <summary>The block ends in the middle of a representation, integer or string.</summary>
    Truncated,

    /// <summary>An integer does not fit in 31 bits (RFC 7541 §5.1 leaves the limit to the decoder).</summary>
    IntegerOverflow,

    /// <summary>An index is 0 or beyond the static and dynamic tables (RFC 7541 §2.3.3).</summary>
    InvalidIndex,

    /// <summary>A string literal is longer than <see cref="HpackDecoder.MaxStringLength"/>.</summary>
    StringTooLong,

    /// <summary>Huffman data holds EOS, or its padding is over 7 bits or not all ones (RFC 7541 §5.2).</summary>
    InvalidHuffman,

    /// <summary>A dynamic table size update exceeds <see cref="HpackDecoder.MaxAllowedTableSize"/> (RFC 7541 §6.3).</summary>
    TableSizeTooLarge,

    /// <summary>A dynamic table size update follows a field representation (RFC 7541 §4.2).</summary>
    TableSizeUpdateNotAtStart,

    /// <summary>
    /// The allowed table size was lowered below the table's size, and the next block does not start
    /// with the size update RFC 7541 §4.2 requires.
    /// </summary>
    TableSizeUpdateMissing,

    /// <summary>
    /// The decoded header list is larger than <see cref="HpackDecoder.MaxHeaderListSize"/>. The whole
    /// block was still decoded, so the dynamic table remains in step with the peer's encoder and the
    /// connection may carry on (for example by refusing only this stream).
    /// </summary>
    HeaderListTooLarge,

    /// <summary>
    /// The header list grew beyond <see cref="HpackDecoder.HeaderListHardLimit"/>: the block was
    /// abandoned part way, so the compression context is lost and the connection must end.
    /// </summary>
    HeaderListFarTooLarge,
}
