namespace H2.Hpack;

/// <summary>
/// A header block could not be decoded. Every decoding failure is reported with this type;
/// <see cref="Kind"/> says which. On the wire this is COMPRESSION_ERROR (RFC 9113 §4.3).
/// </summary>
public sealed class HpackDecodingException : H2Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">A description for people.</param>
    public HpackDecodingException(HpackErrorKind kind, string message)
        : base(ErrorCode.CompressionError, message)
    {
        Kind = kind;
    }

    /// <summary>What went wrong.</summary>
    public HpackErrorKind Kind { get; }

    /// <summary>
    /// Whether the decoder's dynamic table is still in step with the peer's encoder, so that only
    /// the message this block belongs to must be refused. True only for
    /// <see cref="HpackErrorKind.HeaderListTooLarge"/>; every other failure leaves the compression
    /// context unusable and ends the connection.
    /// </summary>
    public bool IsCompressionContextIntact => Kind == HpackErrorKind.HeaderListTooLarge;
}
