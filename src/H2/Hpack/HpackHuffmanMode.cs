namespace H2.Hpack;

/// <summary>When an <see cref="HpackEncoder"/> Huffman-codes a string literal (RFC 7541 §5.2).</summary>
public enum HpackHuffmanMode
{
    /// <summary>Only when the Huffman code is shorter than the raw octets.</summary>
    WhenShorter,

    /// <summary>Always, even when it is not shorter (as the examples of RFC 7541 Appendix C.4 and C.6 do).</summary>
    Always,

    /// <summary>Never: every string is sent as raw octets.</summary>
    Never,
}
