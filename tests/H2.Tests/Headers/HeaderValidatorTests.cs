using H2.Headers;
using H2.Hpack;

namespace H2.Tests.Headers;

public class HeaderValidatorTests
{
    [Theory]
    [InlineData("content-type", true)]
    [InlineData("x-a_b.c~!#$%&'*+^`|", true)]
    [InlineData("Content-Type", false)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("a\u007f", false)]
    public void FieldNames_FollowRfc9113Section8Point2Point1(string name, bool valid)
    {
        Assert.Equal(valid, HeaderValidator.IsValidName(name));
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", true)]
    [InlineData("", true)]
    [InlineData("a\tb", true)]
    [InlineData("caf\u00e9", true)]
    [InlineData(" leading", false)]
    [InlineData("trailing\t", false)]
    [InlineData("a\0b", false)]
    [InlineData("a\rb", false)]
    [InlineData("a\nb", false)]
    public void FieldValues_HoldNoNulCrLf_NorEdgeWhitespace(string value, bool valid)
    {
        Assert.Equal(valid, HeaderValidator.IsValidValue(value));
    }

    [Theory]
    [InlineData(":path", true)]
    [InlineData("accept", true)]
    [InlineData("Accept", false)]
    [InlineData("caf\u00e9", false)]
    [InlineData("", false)]
    public void PlainNames_ArePrintableAsciiWithoutUppercase(string name, bool plain)
    {
        Assert.Equal(plain, HeaderValidator.IsPlainName(name));
    }

    [Theory]
    [InlineData("gzip, br", true)]
    [InlineData("caf\u00e9", false)]
    [InlineData(" x", false)]
    public void PlainValues_ArePrintableAsciiAndTrimmed(string value, bool plain)
    {
        Assert.Equal(plain, HeaderValidator.IsPlainValue(value));
    }
}
