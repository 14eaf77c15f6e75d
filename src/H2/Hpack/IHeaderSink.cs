namespace H2.Hpack;

/// <summary>
/// Where <see cref="HpackDecoder"/> puts each field the moment it is decoded, so whoever receives
/// a block can check and keep its fields in the same walk (as Kestrel's <c>IHttpStreamHeadersHandler</c>).
/// A struct sink passed by reference is called without indirection.
/// </summary>
internal interface IHeaderSink
{
    /// <summary>Takes the next field of the block, in block order.</summary>
    void OnField(in HeaderField field);
}
