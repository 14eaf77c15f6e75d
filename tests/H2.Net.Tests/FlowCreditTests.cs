using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Net.Client;
using H2.Net.Server;
using Xunit.Abstractions;

namespace H2.Net.Tests;

/// <summary>Credit for received DATA comes back however a body ends: read, left unread, disposed or reset (RFC 9113 §6.9).</summary>
public class FlowCreditTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HandlerLeavingACompleteBodyUnread_ReturnsItsCredit()
    {
        var server = new H2Server(async context =>
        {
            while (!context.Request.Body.IsComplete)
            {
                await Task.Delay(10);
            }

            await context.Response.WriteAsync("ok"u8.ToArray());
        }, new H2ServerOptions { ConnectionConfiguration = Small(false), ConnectionWindowSize = 65535 });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            for (int i = 0; i < 3; i++)
            {
                var r = await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[40000] }).WaitAsync(TimeSpan.FromSeconds(5));
                output.WriteLine($"request {i}: {r.StatusCode}");
                await r.Body.ReadToEndAsync();
            }
        }
    }

    [Fact]
    public async Task DisposingAnUnreadResponseBody_ReturnsItsCredit()
    {
        var server = new H2Server(c => c.Response.WriteAsync(new byte[40000]));
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"), new H2ClientOptions { ConnectionConfiguration = Small(true), ConnectionWindowSize = 65535 }))
        {
            for (int i = 0; i < 3; i++)
            {
                var r = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(5));
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while (!r.Body.IsComplete)
                {
                    Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"body {i} never completed");
                    await Task.Delay(10);
                }

                r.Body.Dispose();
                output.WriteLine($"request {i} done");
            }
        }
    }

    [Fact]
    public async Task ResetStreamWithAQueuedBody_ReturnsItsCredit()
    {
        int n = 0;
        var server = new H2Server(async context =>
        {
            if (Interlocked.Increment(ref n) == 1)
            {
                try { await Task.Delay(Timeout.Infinite, context.Aborted); }
                finally
                {
                    var q = (System.Collections.ICollection)typeof(H2BodyStream).GetField("_chunks", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(context.Request.Body)!;
                    output.WriteLine($"after reset: {q.Count} chunks queued");
                }
            }

            await context.Request.Body.ReadToEndAsync();
            await context.Response.WriteAsync("ok"u8.ToArray());
        }, new H2ServerOptions { ConnectionConfiguration = Small(false), ConnectionWindowSize = 65535 });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            using var cts = new CancellationTokenSource();
            var body = new BlockingAfter(65535);
            Task<H2ClientResponse> first = client.SendAsync(new H2ClientRequest("POST", "/") { ContentStream = body }, cts.Token);
            await Task.Delay(500);
            cts.Cancel();
            await Record.ExceptionAsync(() => first);
            await Task.Delay(200);
            var r = await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[40000] }).WaitAsync(TimeSpan.FromSeconds(5));
            await r.Body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static Func<H2Configuration> Small(bool client) => () => new H2Configuration { ClientSide = client, InitialWindowSize = 65535 };

    private sealed class BlockingAfter(int size) : Stream
    {
        private int _left = size;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            int n = Math.Min(_left, buffer.Length);
            _left -= n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
