using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>A finished request's objects serve the connection's next request, only when nothing handed out can still refer to them.</summary>
public class RequestObjectReuseTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SequentialRequests_ReuseTheContext_WithEverythingMadeNew()
    {
        var seen = new List<(H2RequestContext Context, string Path, int Status, int Headers, bool Cancelled)>();
        await using var server = new H2Server(async c =>
        {
            lock (seen)
            {
                seen.Add((c, c.Request.Path, c.Response.StatusCode, c.Response.Headers.Count, c.Aborted.IsCancellationRequested));
            }

            c.Response.StatusCode = 201;
            c.Response.Headers.Add(("x-path", c.Request.Path));
            await c.Response.WriteAsync("ok"u8.ToArray(), c.Aborted);
        });
        await using H2Client client = await Loopback.ConnectAsync(server);

        for (int i = 0; i < 3; i++)
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", $"/{i}")).WaitAsync(s_wait);
            Assert.Equal(201, response.StatusCode);
            Assert.Equal($"/{i}", response.GetHeader("x-path"));
            Assert.Equal("ok"u8.ToArray(), await response.Body.ReadToEndAsync());
        }

        Assert.Equal(["/0", "/1", "/2"], seen.Select(s => s.Path));
        Assert.All(seen, s => Assert.Equal((200, 0, false), (s.Status, s.Headers, s.Cancelled)));
        Assert.Same(seen[0].Context, seen[2].Context);
    }

    [Fact]
    public async Task AContextWhoseBodyWasHandedOut_IsNotReused()
    {
        var contexts = new List<H2RequestContext>();
        await using var server = new H2Server(async c =>
        {
            lock (contexts)
            {
                contexts.Add(c);
            }

            await c.Request.Body.ReadToEndAsync();
        });
        await using H2Client client = await Loopback.ConnectAsync(server);

        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[10] }).WaitAsync(s_wait);
        }

        Assert.Equal(3, contexts.Distinct().Count());
    }

    [Fact]
    public async Task AResetStreamsContext_IsNotReused()
    {
        var contexts = new List<H2RequestContext>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new H2Server(async c =>
        {
            lock (contexts)
            {
                contexts.Add(c);
            }

            if (c.Request.Path == "/hang")
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, c.Aborted);
                }
                finally
                {
                    gate.TrySetResult();
                }
            }
        });
        await using H2Client client = await Loopback.ConnectAsync(server);
        using var cts = new CancellationTokenSource();
        Task<H2ClientResponse> hanging = client.SendAsync(new H2ClientRequest("GET", "/hang"), cts.Token);
        await Task.Delay(100);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
        await gate.Task.WaitAsync(s_wait);

        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        }

        Assert.DoesNotContain(contexts[0], contexts.Skip(1));
    }

    [Fact]
    public async Task WithReuseTurnedOff_EveryRequestHasItsOwnContext()
    {
        var contexts = new List<H2RequestContext>();
        await using var server = new H2Server(
            c =>
            {
                lock (contexts)
                {
                    contexts.Add(c);
                }

                return Task.CompletedTask;
            },
            new H2ServerOptions { ReuseRequestObjects = false });
        await using H2Client client = await Loopback.ConnectAsync(server);

        for (int i = 0; i < 3; i++)
        {
            await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        }

        Assert.Equal(3, contexts.Distinct().Count());
    }
}
