using H2.Headers;
using H2.Hpack;

namespace H2.Tests.Headers;

public class HeaderListSinkTests
{
    [Fact]
    public void Fields_AreKeptInOrder_AndChecked()
    {
        HeaderField[] fields = Receive(MessageKind.Response, joinCookies: true, [(":status", "200"), ("b", "2"), ("a", "1")], out HeaderViolation violation, out MessageInfo info);
        Assert.Equal([(":status", "200"), ("b", "2"), ("a", "1")], fields);
        Assert.True(violation.IsNone);
        Assert.Equal(200, info.Status);
    }

    [Fact]
    public void CookieCrumbs_AreJoinedWhereTheFirstWas()
    {
        // RFC 9113 §8.2.3: crumbs are joined with "; " before going to a non-HTTP/2 context.
        HeaderField[] fields = Receive(
            MessageKind.Request,
            joinCookies: true,
            [(":method", "GET"), (":scheme", "https"), (":authority", "a"), (":path", "/"), ("cookie", "a=1"), ("accept", "*/*"), ("cookie", "b=2"), new HeaderField("cookie", "c=3", Sensitive: true)],
            out _,
            out _);
        Assert.Equal(6, fields.Length);
        Assert.Equal(new HeaderField("cookie", "a=1; b=2; c=3", Sensitive: true), fields[4]);
        Assert.Equal(("accept", "*/*"), fields[5]);
    }

    [Fact]
    public void OneCookie_IsLeftAlone_AndJoiningCanBeOff()
    {
        HeaderField[] one = Receive(MessageKind.Trailers, joinCookies: true, [("cookie", "a=1")], out _, out _);
        Assert.Equal([("cookie", "a=1")], one);
        HeaderField[] apart = Receive(MessageKind.Trailers, joinCookies: false, [("cookie", "a=1"), ("cookie", "b=2")], out _, out _);
        Assert.Equal(2, apart.Length);
    }

    [Fact]
    public void Violations_AreReported_AndEveryFieldStillKept()
    {
        HeaderField[] fields = Receive(MessageKind.Response, joinCookies: true, [(":status", "200"), ("upgrade", "h2c"), ("x", "y")], out HeaderViolation violation, out _);
        Assert.Equal(HeaderProblem.ConnectionSpecificField, violation.Problem);
        Assert.Equal(3, fields.Length);
    }

    [Fact]
    public void OneSink_ServesBlockAfterBlock()
    {
        var list = new List<HeaderField>();
        var sink = default(HeaderListSink);
        sink.Begin(list, MessageKind.Request, joinCookies: true);
        sink.OnField(("cookie", "a=1"));
        sink.OnField(("cookie", "b=2"));
        _ = sink.Finish(extendedConnectAllowed: false, out _, out _);

        sink.Begin(list, MessageKind.Response, joinCookies: true);
        sink.OnField((":status", "204"));
        sink.OnField(("cookie", "c=3"));
        HeaderField[] second = sink.Finish(extendedConnectAllowed: false, out HeaderViolation violation, out MessageInfo info);
        Assert.Equal([(":status", "204"), ("cookie", "c=3")], second);
        Assert.True(violation.IsNone);
        Assert.Equal(204, info.Status);
    }

    [Fact]
    public void Decoder_FeedsTheSinkFieldByField_AcrossFragments()
    {
        var encoder = new HpackEncoder();
        byte[] block = encoder.Encode([(":status", "200"), ("cookie", "a=1"), ("cookie", "b=2"), ("content-length", "3")]);
        var decoder = new HpackDecoder();
        var sink = default(HeaderListSink);
        sink.Begin([], MessageKind.Response, joinCookies: true);
        for (int i = 0; i < block.Length; i++)
        {
            decoder.DecodeFragment(block.AsSpan(i, 1), endOfBlock: i == block.Length - 1, ref sink);
        }

        HeaderField[] fields = sink.Finish(extendedConnectAllowed: false, out HeaderViolation violation, out MessageInfo info);
        Assert.True(violation.IsNone);
        Assert.Equal(3, info.ContentLength);
        // Short cookies go out never-indexed (RFC 7541 §7.1.3), so the joined one is sensitive too.
        Assert.Equal([(":status", "200"), new HeaderField("cookie", "a=1; b=2", Sensitive: true), ("content-length", "3")], fields);
    }

    private static HeaderField[] Receive(MessageKind kind, bool joinCookies, HeaderField[] fields, out HeaderViolation violation, out MessageInfo info)
    {
        var sink = default(HeaderListSink);
        sink.Begin([], kind, joinCookies);
        foreach (HeaderField field in fields)
        {
            sink.OnField(field);
        }

        return sink.Finish(extendedConnectAllowed: false, out violation, out info);
    }
}
