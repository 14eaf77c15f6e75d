using System.Net;
using System.Security.Cryptography;
using System.Text;
using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>The async server and client talking over loopback sockets.</summary>
public class ServerClientTests
{
    private static async Task Echo(H2RequestContext context)
    {
        H2ServerRequest request = context.Request;
        switch (request.Path)
        {
            case "/":
                string json = "{" + string.Join(",", request.Headers.Select(h => $"\"{h.Name}\":\"{h.Value}\"")) + "}";
                context.Response.Headers.Add(("content-type", "application/json"));
                await context.Response.WriteAsync(Encoding.UTF8.GetBytes(json));
                break;
            case "/post":
                await request.Body.CopyToAsync(context.Response.Body);
                if (request.Body.Trailers is { } trailers)
                {
                    context.Response.Trailers.AddRange(trailers);
                }

                break;
            case var path when path.StartsWith("/bytes/", StringComparison.Ordinal):
                long total = long.Parse(path["/bytes/".Length..], System.Globalization.CultureInfo.InvariantCulture);
                byte[] chunk = new byte[16384];
                for (long sent = 0; sent < total; sent += chunk.Length)
                {
                    int size = (int)Math.Min(chunk.Length, total - sent);
                    for (int i = 0; i < size; i++)
                    {
                        chunk[i] = (byte)((sent + i) % 251);
                    }

                    await context.Response.WriteAsync(chunk.AsMemory(0, size), context.Aborted);
                }

                break;
            case "/early":
                await context.Response.SendInformationalAsync(103, [("link", "</a.css>; rel=preload")]);
                await context.Response.WriteAsync("done"u8.ToArray());
                break;
            case "/push":
                if (context.Response.Push("/pushed.txt") is { } pushed)
                {
                    await pushed.WriteAsync("pushed body"u8.ToArray());
                    await pushed.CompleteAsync();
                }

                await context.Response.WriteAsync("page"u8.ToArray());
                break;
            case "/throw":
                throw new InvalidOperationException("boom");
            case "/hang":
                await Task.Delay(Timeout.Infinite, context.Aborted);
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private static async Task<(H2Server Server, Uri Uri)> StartAsync(H2ServerOptions? options = null)
    {
        var server = new H2Server(Echo, options);
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await Task.Yield();
        return (server, new Uri($"http://127.0.0.1:{endPoint.Port}/"));
    }

    [Fact]
    public async Task Get_ReturnsTheRequestHeadersAsJson()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri))
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("application/json", response.GetHeader("content-type"));
            string body = Encoding.UTF8.GetString(await response.Body.ReadToEndAsync());
            Assert.Contains("\":method\":\"GET\"", body, StringComparison.Ordinal);
            Assert.Contains("\":authority\":\"127.0.0.1:", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Post_EchoesTheBodyAndTrailers()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri))
        {
            byte[] payload = RandomNumberGenerator.GetBytes(300_000);
            var request = new H2ClientRequest("POST", "/post") { Content = payload };
            request.Trailers.Add(("x-checksum", "abc"));
            H2ClientResponse response = await client.SendAsync(request);
            Assert.Equal(payload, await response.Body.ReadToEndAsync());
            Assert.Equal([new HeaderField("x-checksum", "abc")], response.Trailers!.Select(t => t with { Sensitive = false }));
        }
    }

    [Fact]
    public async Task BodyReachingItsContentLength_EndsTheResponse_AndLateTrailersAreRefused()
    {
        var late = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new H2Server(async context =>
        {
            context.Response.Headers.Add(("content-length", "5"));
            await context.Response.WriteAsync("hello"u8.ToArray());
            bool ended = context.Response.IsCompleted;
            if (context.Request.Path == "/late-trailers")
            {
                context.Response.Trailers.Add(("x-late", "1"));
                try
                {
                    await context.Response.CompleteAsync();
                    late.TrySetResult(null);
                }
                catch (InvalidOperationException e)
                {
                    late.TrySetResult(e);
                }
            }

            Assert.True(ended);
        });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/")))
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal("hello"u8.ToArray(), await response.Body.ReadToEndAsync());
            H2ClientResponse other = await client.SendAsync(new H2ClientRequest("GET", "/late-trailers"));
            Assert.Equal("hello"u8.ToArray(), await other.Body.ReadToEndAsync());
            Assert.Null(other.Trailers);
            Assert.IsType<InvalidOperationException>(await late.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task RequestsBeyondTheHandlerSlots_WaitForOne_AndAreNeverRefused()
    {
        // Each handler goes on working after its response has ended, so the client, free to open
        // a stream again, sends requests while every handler slot is still taken.
        int running = 0;
        int most = 0;
        var server = new H2Server(
            async c =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                c.Response.Headers.Add(("content-length", "2"));
                await c.Response.WriteAsync("ok"u8.ToArray());
                await Task.Delay(50);
                Interlocked.Decrement(ref running);
            },
            new H2ServerOptions { ConnectionConfiguration = () => new H2Configuration { MaxConcurrentStreams = 2 } });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            H2ClientResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => client.SendAsync(new H2ClientRequest("GET", "/"))));
            Assert.All(responses, r => Assert.Equal(200, r.StatusCode));
        }

        Assert.InRange(most, 1, 2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task ManyConcurrentStreams_OnOneConnection()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri))
        {
            H2ClientResponse[] responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => client.SendAsync(new H2ClientRequest("GET", $"/bytes/{i * 100}"))));
            for (int i = 0; i < responses.Length; i++)
            {
                Assert.Equal(i * 100, (await responses[i].Body.ReadToEndAsync()).Length);
            }
        }
    }

    [Fact]
    public async Task LargeTransfers_WithSmallWindows_ArriveIntact()
    {
        var serverOptions = new H2ServerOptions
        {
            ConnectionConfiguration = () => new H2Configuration { InitialWindowSize = 16384, MaxConcurrentStreams = 100 },
            ConnectionWindowSize = 65535,
        };
        (H2Server server, Uri uri) = await StartAsync(serverOptions);
        var clientOptions = new H2ClientOptions
        {
            ConnectionConfiguration = () => new H2Configuration { ClientSide = true, InitialWindowSize = 16384 },
            ConnectionWindowSize = 65535,
        };
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri, clientOptions))
        {
            const int size = 5_000_000;
            H2ClientResponse download = await client.SendAsync(new H2ClientRequest("GET", $"/bytes/{size}"));
            byte[] body = await download.Body.ReadToEndAsync();
            Assert.Equal(size, body.Length);
            for (int i = 0; i < body.Length; i += 9973)
            {
                Assert.Equal((byte)(i % 251), body[i]);
            }

            byte[] upload = RandomNumberGenerator.GetBytes(3_000_000);
            H2ClientResponse echoed = await client.SendAsync(new H2ClientRequest("POST", "/post") { ContentStream = new MemoryStream(upload) });
            Assert.Equal(SHA256.HashData(upload), SHA256.HashData(await echoed.Body.ReadToEndAsync()));
        }
    }

    [Fact]
    public async Task InformationalResponses_ComeBeforeTheFinalOne()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri))
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/early"));
            Assert.Equal("103", Assert.Single(response.InformationalResponses)[0].Value);
            Assert.Equal("done"u8.ToArray(), await response.Body.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Push_ReachesAClientThatAcceptsIt()
    {
        (H2Server server, Uri uri) = await StartAsync();
        var options = new H2ClientOptions { ConnectionConfiguration = () => new H2Configuration { ClientSide = true, EnablePush = true } };
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri, options))
        {
            H2ClientResponse page = await client.SendAsync(new H2ClientRequest("GET", "/push"));
            Assert.Equal("page"u8.ToArray(), await page.Body.ReadToEndAsync());
            H2PushedResponse pushed = await client.PushedResponses.ReadAsync();
            Assert.Equal("/pushed.txt", pushed.Path);
            Assert.Equal("pushed body"u8.ToArray(), await (await pushed.Response).Body.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task HandlerFailure_BecomesA500()
    {
        var log = new RecordingLoggerFactory();
        (H2Server server, Uri uri) = await StartAsync(new H2ServerOptions { LoggerFactory = log });
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri))
        {
            Assert.Equal(500, (await client.SendAsync(new H2ClientRequest("GET", "/throw"))).StatusCode);
            Assert.Equal(404, (await client.SendAsync(new H2ClientRequest("GET", "/missing"))).StatusCode);
        }

        RecordingLoggerFactory.Entry failure = Assert.Single(log.Snapshot(), e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Equal("boom", failure.Exception?.Message);
    }

    [Fact]
    public async Task CancellingARequest_ResetsTheStream_AndTheHandlerSeesIt()
    {
        var aborted = new TaskCompletionSource();
        var server = new H2Server(async context =>
        {
            await context.Response.StartAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.Aborted);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
        });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/")))
        {
            using var cancel = new CancellationTokenSource();
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"), cancel.Token);
            cancel.Cancel();
            await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
            H2ClientResponse next = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal(200, next.StatusCode);
            _ = response;
        }
    }

    [Fact]
    public async Task Upgrade_FromHttp11_Works()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(uri, new H2ClientOptions { UseUpgrade = true }))
        {
            H2ClientResponse first = await client.UpgradeResponse!;
            Assert.Equal(1, first.StreamId);
            Assert.Contains("\":scheme\":\"http\"", Encoding.UTF8.GetString(await first.Body.ReadToEndAsync()), StringComparison.Ordinal);
            H2ClientResponse second = await client.SendAsync(new H2ClientRequest("GET", "/bytes/10"));
            Assert.Equal(3, second.StreamId);
            Assert.Equal(10, (await second.Body.ReadToEndAsync()).Length);
        }
    }

    [Fact]
    public async Task PlainHttp11_GetsA505()
    {
        (H2Server server, Uri uri) = await StartAsync();
        await using (server)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, uri.Port);
            System.Net.Sockets.NetworkStream stream = tcp.GetStream();
            await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            string reply = await new StreamReader(stream).ReadToEndAsync();
            Assert.StartsWith("HTTP/1.1 505", reply, StringComparison.Ordinal);
            Assert.Contains("HTTP/2", reply, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stop_DrainsOpenStreams()
    {
        var release = new TaskCompletionSource();
        var server = new H2Server(async context =>
        {
            await release.Task;
            await context.Response.WriteAsync("finished"u8.ToArray());
        });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/"));
        Task<H2ClientResponse> pending = client.SendAsync(new H2ClientRequest("GET", "/"));
        await Task.Delay(200);
        Task stopping = server.StopAsync();
        await Task.Delay(200);
        release.SetResult();
        H2ClientResponse response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("finished"u8.ToArray(), await response.Body.ReadToEndAsync());
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await client.DisposeAsync();
    }
}
