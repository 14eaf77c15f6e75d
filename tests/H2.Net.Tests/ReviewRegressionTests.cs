using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Net.Client;
using H2.Net.Server;
using Xunit.Abstractions;

namespace H2.Net.Tests;

/// <summary>Regressions for the defects an independent review of H2.Net found, each named for the behaviour it pins down.</summary>
public class ReviewRegressionTests(ITestOutputHelper output)
{
    /// <summary>Stops the server gracefully while reading the response to its end; returns what arrived and how reading ended.</summary>
    private async Task<(long Got, Exception? Error)> ReadWhileStoppingAsync(H2Server server, H2ClientResponse response, int total)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task stop = server.StopAsync();
        long got = 0;
        Exception? error = null;
        try
        {
            var buffer = new byte[65536];
            int n;
            while ((n = await response.Body.ReadAsync(buffer)) > 0)
            {
                got += n;
            }
        }
        catch (Exception e)
        {
            error = e;
        }

        output.WriteLine($"got {got} of {total} after {clock.ElapsedMilliseconds} ms; {error?.Message}");
        await stop.WaitAsync(TimeSpan.FromSeconds(20));
        return (got, error);
    }

    private static Func<H2Configuration> Small(bool client) => () => new H2Configuration { ClientSide = client, InitialWindowSize = 65535 };

    // 1. Handler returns without reading a request body that has fully arrived: its connection credit is never returned.
    [Fact]
    public async Task UnreadCompleteRequestBody_StallsConnection()
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

    // 2. Client drops (disposes) a response body without reading it: credit leak on the client connection.
    [Fact]
    public async Task UnreadResponseBody_StallsClientConnection()
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

    // 3. Cancelling the request token after the response arrived: a body read without its own token never wakes.
    [Fact]
    public async Task CancelAfterResponse_WakesBodyReader()
    {
        var server = new H2Server(async context =>
        {
            await context.Response.StartAsync();
            await Task.Delay(Timeout.Infinite, context.Aborted);
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            using var cts = new CancellationTokenSource();
            var r = await client.SendAsync(new H2ClientRequest("GET", "/"), cts.Token);
            Task<int> read = r.Body.ReadAsync(new byte[10]).AsTask();
            await Task.Delay(100);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<Exception>(() => read.WaitAsync(TimeSpan.FromSeconds(3)));
            Assert.IsNotType<TimeoutException>(await Record.ExceptionAsync(() => read.WaitAsync(TimeSpan.FromSeconds(0))));
        }
    }

    // 4. Client resets a stream whose request body sits unread in the server's queue: credit leaked.
    [Fact]
    public async Task PeerResetWithQueuedBody_StallsConnection()
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

    private sealed class Throttled(Stream inner, int chunk, int delayMs) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                // A zero-byte read only waits for data; the throttle is on the bytes.
                return await inner.ReadAsync(buffer, cancellationToken);
            }

            await Task.Delay(delayMs, cancellationToken);
            return await inner.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    // 5. Graceful stop while a slow client is still receiving the last ~1 MiB: response truncated after 100 ms.
    [Fact]
    public async Task GracefulStop_DoesNotTruncateSlowResponse()
    {
        const int total = 3_000_000;
        var started = new TaskCompletionSource();
        var server = new H2Server(async context =>
        {
            await context.Response.StartAsync();
            started.TrySetResult();
            byte[] chunk = new byte[16384];
            for (int sent = 0; sent < total; sent += chunk.Length)
            {
                await context.Response.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, total - sent)));
            }
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8192 };
        await socket.ConnectAsync(ep);
        H2Client client = H2Client.Connect(new Throttled(new NetworkStream(socket, true), 8192, 10), "http", "x");
        var r = await client.SendAsync(new H2ClientRequest("GET", "/"));
        await started.Task;
        (long got, Exception? error) = await ReadWhileStoppingAsync(server, r, total);
        await client.DisposeAsync();
        Assert.Null(error);
        Assert.Equal(total, got);
    }

    // 6. A handler's cancellation callback runs on the reader loop: one stream stalls the whole connection.
    [Fact]
    public async Task AbortedCallback_RunsOnReaderLoop_StallingConnection()
    {
        var server = new H2Server(async context =>
        {
            if (context.Request.Path == "/slow")
            {
                await context.Response.StartAsync();
                var done = new TaskCompletionSource();
                context.Aborted.Register(() => { Thread.Sleep(4000); done.SetResult(); }); // e.g. cancelling a backend call synchronously
                await done.Task;
            }
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            using var cts = new CancellationTokenSource();
            await client.SendAsync(new H2ClientRequest("GET", "/slow"), cts.Token);
            cts.Cancel();
            await Task.Delay(50);
            var sw = System.Diagnostics.Stopwatch.StartNew();
            await client.SendAsync(new H2ClientRequest("GET", "/fast"));
            output.WriteLine($"unrelated request took {sw.ElapsedMilliseconds} ms");
            // Run inline on the reader loop it would take the callback's 4 s; on the thread pool it
            // takes at most the pool's reaction to one blocked thread.
            Assert.True(sw.ElapsedMilliseconds < 3000, $"unrelated request took {sw.ElapsedMilliseconds} ms");
        }
    }

    // 7. Rapid reset: handlers keep being dispatched for streams reset at once; no bound on running handlers.
    [Fact]
    public async Task RapidReset_UnboundedHandlers()
    {
        int running = 0, max = 0;
        var server = new H2Server(async context =>
        {
            int now = Interlocked.Increment(ref running);
            int seen;
            while ((seen = Volatile.Read(ref max)) < now && Interlocked.CompareExchange(ref max, now, seen) != seen)
            {
            }

            await Task.Delay(3000); // work that does not watch Aborted
            Interlocked.Decrement(ref running);
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            for (int i = 0; i < 2000; i++)
            {
                using var cts = new CancellationTokenSource();
                Task t = client.SendAsync(new H2ClientRequest("GET", "/"), cts.Token);
                cts.Cancel();
                await Record.ExceptionAsync(() => t);
            }

            await Task.Delay(1000);
            output.WriteLine($"max concurrent handlers {max} (MaxConcurrentStreams 100)");
            Assert.True(max <= 100, $"max concurrent handlers {max}");
        }
    }

    // 8. Zero-length DATA frames cost no window but each is queued: unbounded memory.
    [Fact]
    public async Task EmptyDataFlood_IsCutOffWithoutGrowingTheQueue()
    {
        var body = new TaskCompletionSource<H2BodyStream>();
        var server = new H2Server(async context =>
        {
            body.TrySetResult(context.Request.Body);
            await Task.Delay(Timeout.Infinite, context.Aborted);
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(ep);
            NetworkStream stream = tcp.GetStream();
            var received = new MemoryStream();
            Task reading = Task.Run(async () =>
            {
                var sink = new byte[65536];
                try
                {
                    int n;
                    while ((n = await stream.ReadAsync(sink)) > 0)
                    {
                        received.Write(sink, 0, n);
                    }
                }
                catch (IOException)
                {
                }
            });
            var c = new H2Connection(new H2Configuration { ClientSide = true });
            c.InitiateConnection();
            c.SendHeaders(1, [(":method", "POST"), (":scheme", "http"), (":authority", "x"), (":path", "/")]);
            await stream.WriteAsync(c.DataToSend());
            H2BodyStream b = await body.Task.WaitAsync(TimeSpan.FromSeconds(5));
            try
            {
                for (int batch = 0; batch < 100; batch++)
                {
                    for (int i = 0; i < 10000; i++)
                    {
                        c.SendData(1, ReadOnlySpan<byte>.Empty);
                    }

                    await stream.WriteAsync(c.DataToSend());
                }
            }
            catch (IOException)
            {
                // The server hung up mid-flood, as it should.
            }

            await reading.WaitAsync(TimeSpan.FromSeconds(10));
            // The queue is created with the first non-empty DATA; none came, so it may not exist.
            var queue = (System.Collections.ICollection?)typeof(H2BodyStream).GetField("_chunks", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(b);
            int queued = queue?.Count ?? 0;
            output.WriteLine($"queued chunks: {queued}");
            Assert.True(queued < 1000, $"queued chunks: {queued}");
            var events = new List<H2.Events.Event>();
            try
            {
                events.AddRange(c.ReceiveData(received.ToArray()));
            }
            catch (ProtocolException e)
            {
                events.AddRange(e.Events);
            }

            H2.Events.ConnectionTerminated goAway = Assert.Single(events.OfType<H2.Events.ConnectionTerminated>());
            Assert.Equal(ErrorCode.EnhanceYourCalm, goAway.ErrorCode);
        }
    }

    // 9. ClientStream.Released disposes the cancellation registration under Sync while the callback waits for Sync.
    [Fact]
    public async Task CancelRacingStreamEnd_Deadlocks_Stress()
    {
        var server = new H2Server(async c => { for (int k = 0; k < 8; k++) { await c.Response.WriteAsync(new byte[2000]); } });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
        int done = 0;
        var workers = Enumerable.Range(0, 50).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(w);
            for (int i = 0; i < 100; i++)
            {
                using var cts = new CancellationTokenSource();
                Task<H2ClientResponse> t = client.SendAsync(new H2ClientRequest("GET", "/"), cts.Token);
                try { await t; } catch { } Thread.SpinWait(rnd.Next(0, 50000));
                cts.Cancel();
                await Record.ExceptionAsync(() => t);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        Task all = Task.WhenAll(workers);
        Task first = await Task.WhenAny(all, Task.Delay(30000));
        output.WriteLine($"completed {done} of {50 * 100}");
        Assert.True(first == all, $"hung after {done} requests");
    }

    [Fact]
    public async Task CancelRacingStreamEnd_Deadlocks_Deterministic()
    {
        var server = new H2Server(async c => { await c.Response.StartAsync(); await Task.Delay(Timeout.Infinite, c.Aborted); });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
        using var cts = new CancellationTokenSource();
        await client.SendAsync(new H2ClientRequest("GET", "/"), cts.Token);
        var session = (H2.Net.Session.H2Session)typeof(H2Client).GetField("_session", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(client)!;
        var streams = (Dictionary<int, H2.Net.Session.SessionStream>)typeof(H2.Net.Session.H2Session).GetProperty("Streams", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(session)!;
        H2.Net.Session.SessionStream stream = streams[1];
        var entered = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            lock (session.Sync)
            {
                // What ReleaseIfDone / the StreamReset case do on the reader thread.
                entered.Set();
                Thread.Sleep(300);
                stream.Released();
            }
        });
        reader.IsBackground = true;
        reader.Start();
        entered.Wait();
        var canceller = new Thread(() => cts.Cancel()) { IsBackground = true };
        canceller.Start();
        Assert.True(reader.Join(5000), "reader thread deadlocked in Released() -> CancellationTokenRegistration.Dispose()");
    }

    // 10. After the transport closed without GOAWAY, a new request is queued on a dead session and never completes.
    [Fact]
    public async Task SendAfterTransportClosed_FailsPromptly()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task accept = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptSocketAsync();

            // The server's preface (an empty SETTINGS), so that connecting completes; then it goes.
            await s.SendAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            await Task.Delay(200);
            s.Close();
        });
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{port}/"));
        await accept;
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Exception? e = await Record.ExceptionAsync(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(3)));
        output.WriteLine(e?.GetType().Name + ": " + e?.Message);
        Assert.IsType<IOException>(e);
        listener.Stop();
    }

    [Fact]
    public async Task Upgrade_AbsoluteFormTarget_And_ConnectionListedHeaders()
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
            output.WriteLine($":path={r.Path} authority={r.Authority} x-hop={r.GetHeader("x-hop")}");
            Assert.Equal("/abs?q", r.Path);
            Assert.Null(r.GetHeader("x-hop"));
        }
    }

    // 11. A peer that sends PINGs and never reads: PING ACKs pile up in the outbound queue without bound.
    [Fact]
    public async Task PingFlood_NonReadingPeer_UnboundedOutbound()
    {
        var server = new H2Server(c => Task.CompletedTask);
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(ep);
            using var stream = new NetworkStream(socket, true);
            var c = new H2Connection(new H2Configuration { ClientSide = true });
            c.InitiateConnection();
            await stream.WriteAsync(c.DataToSend());

            // Keep sending PINGs without reading: the server must stop reading rather than queue
            // answers without bound, so these writes stall (or fail once the server gives up).
            using var flood = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                for (int batch = 0; batch < 200; batch++)
                {
                    for (int i = 0; i < 10000; i++)
                    {
                        c.Ping(new byte[8]);
                    }

                    await stream.WriteAsync(c.DataToSend(), flood.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
            }

            await Task.Delay(1000);
            var sessions = (System.Collections.IDictionary)typeof(H2Server).GetField("_sessions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(server)!;
            foreach (H2.Net.Session.H2Session session in sessions.Keys)
            {
                long queued;
                lock (session.Sync)
                {
                    queued = session.Connection.OutboundDataLength;
                }

                output.WriteLine($"server outbound queue: {queued} bytes");
                // The reader stops at four times the 1 MiB high-water mark, plus at most one read's answers.
                Assert.True(queued < 5 << 20, $"server outbound queue: {queued} bytes");
            }
        }
    }

    private sealed class DuplexPipe(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output) : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input { get; } = input;

        public System.IO.Pipelines.PipeWriter Output { get; } = output;
    }

    [Fact]
    public async Task GracefulStop_DoesNotTruncateSlowResponse_Pipes()
    {
        const int total = 3_000_000;
        var opts = new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 65536, resumeWriterThreshold: 32768);
        var toServer = new System.IO.Pipelines.Pipe(opts);
        var toClient = new System.IO.Pipelines.Pipe(opts);
        var started = new TaskCompletionSource();
        var server = new H2Server(async context =>
        {
            await context.Response.StartAsync();
            started.TrySetResult();
            byte[] chunk = new byte[16384];
            for (int sent = 0; sent < total; sent += chunk.Length)
            {
                await context.Response.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, total - sent)));
            }
        });
        Task serving = server.ServeAsync(new DuplexPipe(toServer.Reader, toClient.Writer));
        H2Client client = H2Client.Connect(new Throttled(new H2.Net.Transport.DuplexPipeStream(new DuplexPipe(toClient.Reader, toServer.Writer)), 8192, 10), "http", "x");
        var r = await client.SendAsync(new H2ClientRequest("GET", "/"));
        await started.Task;
        (long got, Exception? error) = await ReadWhileStoppingAsync(server, r, total);
        Assert.Null(error);
        Assert.Equal(total, got);
    }
}
