using System.Net;
using System.Net.Sockets;
using System.Text;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>
/// The HTTP/1.1 request that asks for Upgrade: h2c, read strictly (RFC 9112): framing two parsers
/// could read two ways (request smuggling behind an HTTP/1.1 proxy) is refused with 400 and the
/// connection closed, a head or body over its bound gets a status that says so.
/// </summary>
public class Http11UpgradeTests
{
    private const string UpgradeFields = "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n";

    /// <summary>Sends raw octets to a fresh server and returns all it answers before closing.</summary>
    private static async Task<string> ExchangeAsync(H2RequestHandler? handler, params byte[][] parts)
    {
        var server = new H2Server(handler ?? (_ => Task.CompletedTask));
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endPoint);
            NetworkStream stream = tcp.GetStream();
            try
            {
                foreach (byte[] part in parts)
                {
                    await stream.WriteAsync(part);
                }
            }
            catch (IOException)
            {
                // The server answered and closed before taking all of it (a body over the limit).
            }

            var answer = new MemoryStream();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            byte[] buffer = new byte[65536];
            int read;
            try
            {
                while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
                {
                    answer.Write(buffer, 0, read);
                    if (HasWholeResponse(answer))
                    {
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // A reset after the answer is fine.
            }

            return Encoding.Latin1.GetString(answer.ToArray());
        }
    }

    private static bool HasWholeResponse(MemoryStream answer)
    {
        string text = Encoding.Latin1.GetString(answer.ToArray());
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        // After a 101 the connection is HTTP/2: the head is all there is to read.
        string lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.Ordinal)) ?? "Content-Length: 0";
        return text.Length - end - 4 >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    public static TheoryData<string, string> AmbiguousRequests() => new()
    {
        { "Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n" + UpgradeFields + "\r\n0\r\n\r\n" },
        { "two different Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n" + UpgradeFields + "\r\nhello!" },
        { "a Content-Length list that disagrees", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n" + UpgradeFields + "\r\nhello!" },
        { "a Content-Length that is not a number", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n" + UpgradeFields + "\r\nhello" },
        { "space before the colon", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n" + UpgradeFields + "\r\nhello" },
        { "an obsolete folded line", "GET / HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n b\r\n" + UpgradeFields + "\r\n" },
        { "a NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n" + UpgradeFields + "\r\n" },
        { "a bare LF in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\nb\r\n" + UpgradeFields + "\r\n" },
        { "two Host fields", "GET / HTTP/1.1\r\nHost: x\r\nHost: evil.example\r\n" + UpgradeFields + "\r\n" },
        { "no Host", "GET / HTTP/1.1\r\n" + UpgradeFields + "\r\n" },
        { "a field line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A\r\n" + UpgradeFields + "\r\n" },
        { "a bad request line", "GET  / HTTP/1.1\r\nHost: x\r\n" + UpgradeFields + "\r\n" },
        { "a malformed chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + UpgradeFields + "\r\nzz\r\nhello\r\n0\r\n\r\n" },
        { "chunk data longer than its size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + UpgradeFields + "\r\n2\r\nhello\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(AmbiguousRequests))]
    public async Task AmbiguousOrMalformedFraming_Gets400_AndNoUpgrade(string description, string request)
    {
        string answer = await ExchangeAsync(null, Ascii(request));
        Assert.True(answer.StartsWith("HTTP/1.1 400 Bad Request\r\n", StringComparison.Ordinal), $"{description}: {answer}");
        Assert.Contains("Connection: close", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTransferCoding_Gets501()
    {
        string answer = await ExchangeAsync(null, Ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n" + UpgradeFields + "\r\n"));
        Assert.StartsWith("HTTP/1.1 501 Not Implemented\r\n", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadOverTheLimit_Gets431()
    {
        string answer = await ExchangeAsync(null, Ascii("GET / HTTP/1.1\r\nHost: x\r\n" + UpgradeFields + "X-Big: " + new string('a', 20_000) + "\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UpgradeBodyOverTheLimit_Gets413_ThatSaysWhy(bool chunked)
    {
        string framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: 2000000\r\n";
        byte[] body = chunked ? Ascii("100001\r\n" + new string('a', 0x100001) + "\r\n0\r\n\r\n") : new byte[2_000_000];
        string answer = await ExchangeAsync(null, Ascii("POST / HTTP/1.1\r\nHost: x\r\n" + framing + UpgradeFields + "\r\n"), body);
        Assert.StartsWith("HTTP/1.1 413 Content Too Large\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("at most 1048576 octets", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: 11\r\n", "hello world")]
    [InlineData("Content-Length: 11, 11\r\n", "hello world")]
    [InlineData("Transfer-Encoding: chunked\r\n", "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")]
    public async Task UpgradeWithABody_HandsTheBodyToTheHandler(string framing, string body)
    {
        var received = new TaskCompletionSource<(string Body, string? Length)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string answer = await ExchangeAsync(
            async context => received.TrySetResult((Encoding.ASCII.GetString(await context.Request.Body.ReadToEndAsync()), context.Request.GetHeader("content-length"))),
            Ascii("POST /upload HTTP/1.1\r\nHost: x\r\n" + framing + UpgradeFields + "\r\n" + body));
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer, StringComparison.Ordinal);
        Assert.Equal(("hello world", "11"), await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task HeadSentAnOctetAtATime_StillUpgrades()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        byte[] request = Ascii("GET /slow HTTP/1.1\r\nHost: x\r\n" + UpgradeFields + "\r\n");
        string answer = await ExchangeAsync(
            context =>
            {
                seen.TrySetResult(context.Request.Path);
                return Task.CompletedTask;
            },
            [.. request.Select(b => new[] { b })]);
        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", answer, StringComparison.Ordinal);
        Assert.Equal("/slow", await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task PlainHttp11Request_Gets505_ThatNamesHttp2()
    {
        string answer = await ExchangeAsync(null, Ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("HTTP/2 only", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_WithAnAbsoluteTarget_TakesItsPath_AndDropsTheFieldsConnectionLists()
    {
        var seen = new TaskCompletionSource<H2ServerRequest>();
        var server = new H2Server(c => { seen.TrySetResult(c.Request); return Task.CompletedTask; });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(ep);
            await tcp.GetStream().WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                "GET http://example.com/abs?q HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade, HTTP2-Settings, X-Hop\r\nX-Hop: 1\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n"));
            H2ServerRequest r = await seen.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("/abs?q", r.Path);
            Assert.Null(r.GetHeader("x-hop"));
        }
    }
}
