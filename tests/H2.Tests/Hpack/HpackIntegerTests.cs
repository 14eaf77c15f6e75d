using H2.Hpack;

namespace H2.Tests.Hpack;

public class HpackIntegerTests
{
    [Theory]
    [InlineData(10, 5, "0a")] // RFC 7541 C.1.1
    [InlineData(1337, 5, "1f9a0a")] // RFC 7541 C.1.2
    [InlineData(42, 8, "2a")] // RFC 7541 C.1.3
    public void Write_MatchesRfc7541AppendixC1(int value, int prefixBits, string hex)
    {
        var buffer = new byte[HpackInteger.MaxLength];
        int written = HpackInteger.Write(value, prefixBits, 0, buffer);
        Assert.Equal(hex, Hex.Of(buffer.AsSpan(0, written)));
    }

    [Theory]
    [InlineData(10, 5, "0a")]
    [InlineData(1337, 5, "1f9a0a")]
    [InlineData(42, 8, "2a")]
    public void Read_MatchesRfc7541AppendixC1(int value, int prefixBits, string hex)
    {
        int position = 0;
        byte[] bytes = Hex.Bytes(hex);
        Assert.Equal(value, HpackInteger.Read(bytes, ref position, prefixBits));
        Assert.Equal(bytes.Length, position);
    }

    public static TheoryData<int, int> PrefixesAndValues()
    {
        var data = new TheoryData<int, int>();
        for (int prefix = 1; prefix <= 8; prefix++)
        {
            int max = (1 << prefix) - 1;
            foreach (int value in new[] { 0, 1, max - 1, max, max + 1, 127, 128, 255, 256, 1337, 16383, 16384, 1 << 21, int.MaxValue - 1, int.MaxValue }.Distinct())
            {
                if (value >= 0)
                {
                    data.Add(prefix, value);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PrefixesAndValues))]
    public void WriteThenRead_RoundTripsForEveryPrefix(int prefixBits, int value)
    {
        var buffer = new byte[HpackInteger.MaxLength];
        byte flags = (byte)(0xFF << prefixBits);
        int written = HpackInteger.Write(value, prefixBits, prefixBits == 8 ? (byte)0 : flags, buffer);
        int position = 0;
        Assert.Equal(value, HpackInteger.Read(buffer.AsSpan(0, written), ref position, prefixBits));
        Assert.Equal(written, position);
        if (prefixBits < 8)
        {
            Assert.Equal(flags, (byte)(buffer[0] & flags));
        }
    }

    [Theory]
    [InlineData("1f")] // prefix full, no continuation
    [InlineData("1f9a")] // continuation bit set on the last octet
    public void Read_TruncatedInteger_Throws(string hex)
    {
        var error = Assert.Throws<HpackDecodingException>(() =>
        {
            int position = 0;
            HpackInteger.Read(Hex.Bytes(hex), ref position, 5);
        });
        Assert.Equal(HpackErrorKind.Truncated, error.Kind);
    }

    [Theory]
    [InlineData("1fe1ffffff07")] // 2^31 + 30: one above the largest
    [InlineData("1fffffffff7f")] // far beyond 31 bits
    [InlineData("1f8080808080808000")] // zero value padded with continuation octets
    public void Read_OverflowingInteger_Throws(string hex)
    {
        var error = Assert.Throws<HpackDecodingException>(() =>
        {
            int position = 0;
            HpackInteger.Read(Hex.Bytes(hex), ref position, 5);
        });
        Assert.Equal(HpackErrorKind.IntegerOverflow, error.Kind);
    }

    [Fact]
    public void Read_LargestValue_IsAccepted()
    {
        // 2^31-1 with a 5-bit prefix: 31 + 2147483616.
        var buffer = new byte[HpackInteger.MaxLength];
        int written = HpackInteger.Write(int.MaxValue, 5, 0, buffer);
        int position = 0;
        Assert.Equal(int.MaxValue, HpackInteger.Read(buffer.AsSpan(0, written), ref position, 5));
    }
}
