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

    [Fact]
    public void Validate_AWellFormedRequest_PassesAndGathersItsControlData()
    {
        HeaderField[] request = [(":method", "POST"), (":scheme", "https"), (":authority", "example.com"), (":path", "/upload"), ("content-length", "42")];
        HeaderViolation violation = HeaderValidator.Validate(request, MessageKind.Request, extendedConnectAllowed: false, out MessageInfo info);
        Assert.True(violation.IsNone);
        Assert.Null(violation.Message);
        Assert.Equal("POST", info.Method);
        Assert.Equal("example.com", info.Authority);
        Assert.Equal(42, info.ContentLength);
    }

    [Fact]
    public void Validate_ReportsTheFirstRuleBroken()
    {
        HeaderField[] request = [(":method", "GET"), ("Bad", "x"), ("connection", "close")];
        HeaderViolation violation = HeaderValidator.Validate(request, MessageKind.Request, extendedConnectAllowed: false, out _);
        Assert.Equal(HeaderProblem.InvalidName, violation.Problem);
        Assert.Equal("Invalid field name 'Bad'.", violation.Message);
    }

    [Fact]
    public void Validate_WithoutCharacterChecks_StillChecksTheStructure()
    {
        HeaderField[] response = [("x", "y")];
        HeaderViolation violation = HeaderValidator.Validate(response, MessageKind.Response, extendedConnectAllowed: false, out _, checkChars: false);
        Assert.Equal(HeaderProblem.MissingStatus, violation.Problem);
    }
}
