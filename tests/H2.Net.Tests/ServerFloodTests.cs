using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Net.Client;
using H2.Net.Server;
using Xunit.Abstractions;

namespace H2.Net.Tests;

/// <summary>Floods against the async server (Rapid Reset, empty DATA, PING from a peer that never reads) end with bounded memory and handlers.</summary>
public class ServerFloodTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RapidReset_RunsNoMoreHandlersThanMaxConcurrentStreams()
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

    [Fact]
    public async Task EmptyDataFlood_IsCutOffWithoutGrowingTheBodyQueue()
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

    [Fact]
    public async Task PingFloodFromAPeerThatNeverReads_KeepsTheOutboundQueueBounded()
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
}
