using H2.Headers;
using H2.Hpack;

namespace H2.Tests.Headers;

public class HeaderCheckerTests
{
    private static readonly HeaderField[] s_get = [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/")];

    public static TheoryData<string, HeaderField[], string, string> Malformed => new()
    {
        { nameof(MessageKind.Trailers), [(":status", "200")], nameof(HeaderProblem.PseudoHeaderInTrailers), "Trailers may not contain pseudo-header field ':status'." },
        { nameof(MessageKind.Request), [.. s_get, ("accept", "*/*"), (":method", "GET")], nameof(HeaderProblem.PseudoHeaderAfterRegularField), "Pseudo-header field ':method' follows a regular field." },
        { nameof(MessageKind.Request), [(":method", "GET\r\n"), (":scheme", "https"), (":path", "/")], nameof(HeaderProblem.InvalidPseudoHeaderValue), "Pseudo-header field ':method' has an invalid value." },
        { nameof(MessageKind.Response), [(":status", "200"), (":path", "/")], nameof(HeaderProblem.PseudoHeaderNotAllowed), "Pseudo-header field ':path' is not allowed in a response." },
        { nameof(MessageKind.Request), [.. s_get, (":status", "200")], nameof(HeaderProblem.PseudoHeaderNotAllowed), "Pseudo-header field ':status' is not allowed in a request." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":method", "GET"), (":scheme", "https"), (":path", "/")], nameof(HeaderProblem.DuplicatePseudoHeader), "Duplicate pseudo-header field ':method'." },
        { nameof(MessageKind.Response), [(":status", "200"), (":status", "204")], nameof(HeaderProblem.DuplicateStatus), "Duplicate :status pseudo-header field." },
        { nameof(MessageKind.Response), [(":status", "20")], nameof(HeaderProblem.InvalidStatus), "Invalid :status '20'." },
        { nameof(MessageKind.Response), [(":status", "099")], nameof(HeaderProblem.InvalidStatus), "Invalid :status '099'." },
        { nameof(MessageKind.Request), [.. s_get, ("x y", "1")], nameof(HeaderProblem.InvalidName), "Invalid field name 'x y'." },
        { nameof(MessageKind.Request), [.. s_get, ("x", "a\nb")], nameof(HeaderProblem.InvalidValue), "Field 'x' has an invalid value." },
        { nameof(MessageKind.Request), [.. s_get, ("keep-alive", "5")], nameof(HeaderProblem.ConnectionSpecificField), "Connection-specific field 'keep-alive' is not allowed in HTTP/2." },
        { nameof(MessageKind.Request), [.. s_get, ("te", "gzip")], nameof(HeaderProblem.InvalidTe), "The te field may only be 'trailers'." },
        { nameof(MessageKind.Response), [(":status", "200"), ("content-length", "-1")], nameof(HeaderProblem.InvalidContentLength), "Invalid content-length '-1'." },
        { nameof(MessageKind.Response), [(":status", "200"), ("content-length", "1"), ("content-length", "2")], nameof(HeaderProblem.ConflictingContentLength), "Conflicting content-length fields." },
        { nameof(MessageKind.Request), [.. s_get, ("host", "a.example"), ("host", "b.example")], nameof(HeaderProblem.ConflictingHost), "Conflicting host fields." },
        { nameof(MessageKind.Request), [(":scheme", "https"), (":path", "/")], nameof(HeaderProblem.MissingMethod), "Request without :method." },
        { nameof(MessageKind.Request), [.. s_get, (":protocol", "websocket")], nameof(HeaderProblem.ProtocolWithoutConnect), ":protocol is only allowed with CONNECT." },
        { nameof(MessageKind.Request), [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"), (":authority", "a")], nameof(HeaderProblem.ExtendedConnectNotEnabled), "Extended CONNECT (:protocol) was not enabled with SETTINGS_ENABLE_CONNECT_PROTOCOL." },
        { nameof(MessageKind.Request), [(":method", "CONNECT"), (":scheme", "https"), (":authority", "a:443")], nameof(HeaderProblem.MalformedConnect), "CONNECT needs :authority and no :scheme or :path." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":path", "/")], nameof(HeaderProblem.MissingSchemeOrPath), "Request without :scheme or :path." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "")], nameof(HeaderProblem.EmptyPath), "Empty :path." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "index.html")], nameof(HeaderProblem.InvalidPath), "Invalid :path 'index.html'." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":scheme", "https"), (":authority", "user@a"), (":path", "/")], nameof(HeaderProblem.AuthorityWithUserinfo), ":authority may not contain userinfo." },
        { nameof(MessageKind.Request), [(":method", "GET"), (":scheme", "http"), (":path", "/")], nameof(HeaderProblem.MissingAuthority), "A request with :scheme http needs a non-empty :authority or host." },
        { nameof(MessageKind.Request), [.. s_get, ("host", "other.example")], nameof(HeaderProblem.HostDiffersFromAuthority), "host and :authority differ." },
        { nameof(MessageKind.PushedRequest), [(":method", "POST"), (":scheme", "https"), (":authority", "a"), (":path", "/")], nameof(HeaderProblem.UnsafePushedMethod), "A pushed request must be GET or HEAD, not POST." },
        { nameof(MessageKind.Response), [("server", "x")], nameof(HeaderProblem.MissingStatus), "Response without :status." },
        { nameof(MessageKind.Response), [(":status", "101")], nameof(HeaderProblem.SwitchingProtocols), "101 (Switching Protocols) is not used in HTTP/2." },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void EachRuleBroken_IsNamedWithItsReason(string kind, HeaderField[] fields, string problem, string message)
    {
        // The enums are internal, so the cases name them.
        HeaderViolation violation = Check(Enum.Parse<MessageKind>(kind), fields);
        Assert.Equal(problem, violation.Problem.ToString());
        Assert.Equal(message, violation.Message);
    }

    [Fact]
    public void EveryProblem_HasItsOwnMessage()
    {
        var messages = new HashSet<string>();
        foreach (HeaderProblem problem in Enum.GetValues<HeaderProblem>().Where(p => p != HeaderProblem.None))
        {
            string? message = new HeaderViolation(problem, "x", MessageKind.Request).Message;
            Assert.NotNull(message);
            Assert.NotEqual(problem.ToString(), message);
            Assert.True(messages.Add(message), $"{problem} shares its message");
        }
    }

    [Fact]
    public void AfterTheFirstRuleBroken_TheRestIsStillGathered()
    {
        // The first problem is kept; decoding goes on, and so does what the fields say.
        var checker = new HeaderChecker(MessageKind.Response);
        checker.Check((":status", "200"));
        checker.Check(("connection", "close"));
        checker.Check(("content-length", "7"));
        Assert.Equal(HeaderProblem.ConnectionSpecificField, checker.Finish(extendedConnectAllowed: false).Problem);
        Assert.Equal(7, checker.Info.ContentLength);
        Assert.Equal(200, checker.Info.Status);
    }

    [Theory]
    [InlineData("OPTIONS", "*", true)]
    [InlineData("GET", "*", false)]
    public void AsteriskPath_IsOnlyForOptions(string method, string path, bool wellFormed)
    {
        HeaderViolation violation = Check(MessageKind.Request, [(":method", method), (":scheme", "https"), (":authority", "a"), (":path", path)]);
        Assert.Equal(wellFormed ? HeaderProblem.None : HeaderProblem.InvalidPath, violation.Problem);
    }

    [Fact]
    public void ExtendedConnect_WhenEnabled_NeedsAllFourPseudoHeaders()
    {
        // RFC 8441 §4.
        HeaderField[] complete = [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/chat"), (":authority", "a")];
        Assert.True(Check(MessageKind.Request, complete, extendedConnectAllowed: true).IsNone);
        Assert.Equal(HeaderProblem.IncompleteExtendedConnect, Check(MessageKind.Request, complete[..4], extendedConnectAllowed: true).Problem);
    }

    [Fact]
    public void PlainConnect_WithOnlyAnAuthority_IsWellFormed()
    {
        Assert.True(Check(MessageKind.Request, [(":method", "CONNECT"), (":authority", "a:443")]).IsNone);
    }

    [Theory]
    [InlineData("host", "Example.COM")]
    [InlineData("te", "Trailers")]
    public void CaseInsensitiveValues_Agree(string name, string value)
    {
        Assert.True(Check(MessageKind.Request, [.. s_get, (name, value)]).IsNone);
    }

    [Fact]
    public void HostAlone_StandsInForAuthority()
    {
        Assert.True(Check(MessageKind.Request, [(":method", "GET"), (":scheme", "http"), (":path", "/"), ("host", "a")]).IsNone);
    }

    [Fact]
    public void RepeatedAgreeingContentLength_IsAccepted()
    {
        var checker = new HeaderChecker(MessageKind.Response);
        checker.Check((":status", "200"));
        checker.Check(("content-length", "5"));
        checker.Check(("content-length", "5"));
        Assert.True(checker.Finish(extendedConnectAllowed: false).IsNone);
        Assert.Equal(5, checker.Info.ContentLength);
    }

    [Fact]
    public void Trailers_IgnoreContentLength_AndNeedNoPseudoHeaders()
    {
        var checker = new HeaderChecker(MessageKind.Trailers);
        checker.Check(("content-length", "not a number"));
        checker.Check(("grpc-status", "0"));
        Assert.True(checker.Finish(extendedConnectAllowed: false).IsNone);
        Assert.Equal(-1, checker.Info.ContentLength);
    }

    [Fact]
    public void InformationalStatus_IsRecognised()
    {
        var checker = new HeaderChecker(MessageKind.Response);
        checker.Check((":status", "103"));
        Assert.True(checker.Info.IsInformational);
    }

    [Fact]
    public void AWellFormedRequest_PassesAndGathersItsControlData()
    {
        var checker = new HeaderChecker(MessageKind.Request);
        foreach (HeaderField field in new HeaderField[] { (":method", "POST"), (":scheme", "https"), (":authority", "example.com"), (":path", "/upload"), ("content-length", "42") })
        {
            checker.Check(field);
        }

        HeaderViolation violation = checker.Finish(extendedConnectAllowed: false);
        Assert.True(violation.IsNone);
        Assert.Null(violation.Message);
        Assert.Equal("POST", checker.Info.Method);
        Assert.Equal("example.com", checker.Info.Authority);
        Assert.Equal(42, checker.Info.ContentLength);
    }

    [Fact]
    public void WithoutCharacterChecks_TheStructureIsStillChecked()
    {
        var checker = new HeaderChecker(MessageKind.Response);
        checker.Check(("X", "y\n"), checkChars: false);
        Assert.Equal(HeaderProblem.MissingStatus, checker.Finish(extendedConnectAllowed: false).Problem);
    }

    private static HeaderViolation Check(MessageKind kind, HeaderField[] fields, bool extendedConnectAllowed = false)
    {
        var checker = new HeaderChecker(kind);
        foreach (HeaderField field in fields)
        {
            checker.Check(field);
        }

        return checker.Finish(extendedConnectAllowed);
    }
}
