using System.Text;
using H2.Hpack;

namespace H2.Tests.Hpack;

public class HuffmanTests
{
    // RFC 7541 Appendix C.4 and C.6.
    [Theory]
    [InlineData("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff")]
    [InlineData("no-cache", "a8eb10649cbf")]
    [InlineData("custom-key", "25a849e95ba97d7f")]
    [InlineData("custom-value", "25a849e95bb8e8b4bf")]
    [InlineData("302", "6402")]
    [InlineData("private", "aec3771a4b")]
    [InlineData("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff")]
    [InlineData("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3")]
    [InlineData("307", "640eff")]
    [InlineData("gzip", "9bd9ab")]
    [InlineData("", "")]
    public void EncodeAndDecode_MatchRfcExamples(string text, string hex)
    {
        var encoded = new byte[Huffman.GetEncodedLength(text)];
        Assert.Equal(encoded.Length, Huffman.Encode(text, encoded));
        Assert.Equal(hex, Hex.Of(encoded));

        byte[] wire = Hex.Bytes(hex);
        var decoded = new byte[Huffman.GetMaxDecodedLength(wire.Length)];
        int length = Huffman.Decode(wire, decoded);
        Assert.Equal(text, Encoding.Latin1.GetString(decoded, 0, length));
    }

    [Fact]
    public void EverySymbol_RoundTrips_AloneAndTogether()
    {
        var all = new StringBuilder();
        for (int symbol = 0; symbol < 256; symbol++)
        {
            string text = new((char)symbol, 3);
            all.Append(text);
            AssertRoundTrip(text);
        }

        AssertRoundTrip(all.ToString());
    }

    [Theory]
    [InlineData("ffffffff")] // EOS (30 ones) followed by two bits of padding
    [InlineData("fffffffc")] // EOS bits inside the data
    [InlineData("07ffffffff")] // '0' (00000) then EOS, which ends in a high nibble
    public void Decode_EndOfStringSymbol_IsRejected(string hex)
    {
        AssertRejected(hex);
    }

    [Theory]
    [InlineData("1fff")] // 'a' (00011) then 11 bits of padding
    [InlineData("ff")] // eight bits of padding alone
    public void Decode_PaddingLongerThanSevenBits_IsRejected(string hex)
    {
        AssertRejected(hex);
    }

    [Theory]
    [InlineData("18")] // 'a' then padding 000
    [InlineData("1e")] // 'a' then padding 110
    [InlineData("fe")] // a code prefix that is not all ones
    public void Decode_PaddingNotAllOnes_IsRejected(string hex)
    {
        AssertRejected(hex);
    }

    [Fact]
    public void Decode_ExactPaddingOfOnes_IsAccepted()
    {
        // 'a' is 00011: three one-bits of padding complete the octet.
        var buffer = new byte[4];
        Assert.Equal(1, Huffman.Decode([0x1f], buffer));
        Assert.Equal((byte)'a', buffer[0]);
    }

    [Fact]
    public void Decode_RefusesADestinationShorterThanTheLongestPossibleText()
    {
        // One octet may hold one 5-bit symbol and part of the next: room for two is required.
        Assert.Throws<ArgumentException>(() => Huffman.Decode([0x1f], new byte[1]));
    }

    private static void AssertRoundTrip(string text)
    {
        var encoded = new byte[Huffman.GetEncodedLength(text)];
        int written = Huffman.Encode(text, encoded);
        var decoded = new byte[Huffman.GetMaxDecodedLength(written)];
        int length = Huffman.Decode(encoded.AsSpan(0, written), decoded);
        Assert.Equal(text, Encoding.Latin1.GetString(decoded, 0, length));
    }

    private static void AssertRejected(string hex)
    {
        byte[] wire = Hex.Bytes(hex);
        var error = Assert.Throws<HpackDecodingException>(() => Huffman.Decode(wire, new byte[Huffman.GetMaxDecodedLength(wire.Length)]));
        Assert.Equal(HpackErrorKind.InvalidHuffman, error.Kind);
        Assert.Equal(ErrorCode.CompressionError, error.ErrorCode);
    }
}
