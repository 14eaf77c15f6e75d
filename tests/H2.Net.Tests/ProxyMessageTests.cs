using H2.Events;
using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>What a proxy needs of messages: lookups in any case, whether a request has a body, trailers known only at the end, bounded reads.</summary>
public class ProxyMessageTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HeaderLookups_IgnoreCase_OnRequestsAndResponses()
    {
        string? seen = null;
        await using var server = new H2Server(c =>
        {
            seen = c.Request.GetHeader("X-Forwarded-For");
            c.Response.Headers.Add(("x-upstream", "a"));
            return Task.CompletedTask;
        });
        await using H2Client client = await Loopback.ConnectAsync(server);
        var request = new H2ClientRequest("GET", "/");
        request.Headers.Add(("x-forwarded-for", "192.0.2.1"));

        H2ClientResponse response = await client.SendAsync(request).WaitAsync(s_wait);

        Assert.Equal("192.0.2.1", seen);
        Assert.Equal("a", response.GetHeader("X-Upstream"));
    }

    [Fact]
    public async Task CanHaveBody_IsFalseForARequestEndedByItsHeaders_AndContentLengthIsParsed()
    {
        var seen = new List<(string Method, bool CanHaveBody, long? Length)>();
        await using var server = new H2Server(async c =>
        {
            lock (seen)
            {
                seen.Add((c.Request.Method, c.Request.CanHaveBody, c.Request.ContentLength));
            }

            await c.Request.Body.ReadToEndAsync();
        });
        await using H2Client client = await Loopback.ConnectAsync(server);
        var post = new H2ClientRequest("POST", "/") { Content = new byte[3] };
        post.Headers.Add(("content-length", "3"));

        await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        await client.SendAsync(post).WaitAsync(s_wait);

        Assert.Equal([("GET", false, null), ("POST", true, 3L)], seen);
    }

    [Fact]
    public async Task RequestTrailersKnownOnlyAfterTheBody_AreSent()
    {
        var trailers = new TaskCompletionSource<IReadOnlyList<HeaderField>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is TrailersReceived received)
            {
                trailers.TrySetResult(received.Headers);
                c.SendHeaders(received.StreamId, [(":status", "200")], endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        var body = new MemoryStream(new byte[5000]);
        var request = new H2ClientRequest("POST", "/")
        {
            ContentStream = body,
            TrailersAfterBody = () => [("X-Length", body.Position.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };

        await client.SendAsync(request).WaitAsync(s_wait);

        Assert.Equal([new HeaderField("x-length", "5000")], await trailers.Task.WaitAsync(s_wait));
    }

    [Fact]
    public async Task LateTrailersThatAreEmpty_EndTheRequestWithAnEmptyDataFrame()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is StreamEnded ended)
            {
                c.SendHeaders(ended.StreamId, [(":status", "204")], endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);

        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("POST", "/") { ContentStream = new MemoryStream(new byte[10]), TrailersAfterBody = () => null }).WaitAsync(s_wait);

        Assert.Equal(204, response.StatusCode);
        Assert.Empty(server.Received.OfType<TrailersReceived>());
    }

    [Fact]
    public async Task ResponseWithContentLength_TakesTrailersAfterItsBody_WhenItAnnouncesThem()
    {
        await using var server = new H2Server(async c =>
        {
            c.Response.Headers.Add(("content-length", "5"));
            c.Response.Headers.Add(("trailer", "x-checksum"));
            await c.Response.WriteAsync("hello"u8.ToArray());

            // Known only now, after the whole body.
            c.Response.Trailers.Add(("x-checksum", "abc"));
        });
        await using H2Client client = await Loopback.ConnectAsync(server);

        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);

        Assert.Equal("hello"u8.ToArray(), await response.Body.ReadToEndAsync());
        Assert.Equal([new HeaderField("x-checksum", "abc")], response.Trailers);
    }

    [Fact]
    public async Task ReadToEndWithALimit_RefusesADeclaredLengthAtOnce_AndAGrowingBodyWhenItPassesTheLimit()
    {
        var failures = new List<Exception?>();
        await using var server = new H2Server(async c =>
        {
            Exception? error = await Record.ExceptionAsync(() => c.Request.Body.ReadToEndAsync(maxLength: 100));
            lock (failures)
            {
                failures.Add(error);
            }

            c.Response.StatusCode = error is null ? 200 : 413;
        });
        await using H2Client client = await Loopback.ConnectAsync(server);
        var declared = new H2ClientRequest("POST", "/") { Content = new byte[500] };
        declared.Headers.Add(("content-length", "500"));

        Assert.Equal(413, (await client.SendAsync(declared).WaitAsync(s_wait)).StatusCode);
        Assert.Equal(413, (await client.SendAsync(new H2ClientRequest("POST", "/") { ContentStream = new MemoryStream(new byte[500]) }).WaitAsync(s_wait)).StatusCode);
        Assert.Equal(200, (await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[100] }).WaitAsync(s_wait)).StatusCode);

        Assert.Contains("content-length of 500", Assert.IsType<InvalidDataException>(failures[0]).Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the limit of 100", Assert.IsType<InvalidDataException>(failures[1]).Message, StringComparison.Ordinal);
        Assert.Null(failures[2]);
    }
}
