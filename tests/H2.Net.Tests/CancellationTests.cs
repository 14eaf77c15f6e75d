using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Net.Client;
using H2.Net.Server;
using Xunit.Abstractions;

namespace H2.Net.Tests;

/// <summary>Cancellation on either side: it wakes whoever waits, never deadlocks, and runs no user callback on a session loop.</summary>
public class CancellationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task CancellingTheRequestAfterTheResponse_WakesAPendingBodyRead()
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

    [Fact]
    public async Task BlockingAbortedCallback_DoesNotStallOtherStreams()
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

    [Fact]
    public async Task CancellingAsTheStreamEnds_NeverDeadlocks_ManyRaces()
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
    public async Task CancellingWhileTheReaderReleasesTheStream_NeverDeadlocks()
    {
        var server = new H2Server(async c => { await c.Response.StartAsync(); await Task.Delay(Timeout.Infinite, c.Aborted); });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
        using var cts = new CancellationTokenSource();
        await client.SendAsync(new H2ClientRequest("GET", "/"), cts.Token);
        var session = (H2.Net.Session.H2Session)typeof(H2Client).GetField("_session", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(client)!;
        H2.Net.Session.SessionStream stream;
        lock (session.Sync)
        {
            stream = (H2.Net.Session.SessionStream)session.Connection.GetStreamUserData(1)!;
        }

        var entered = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            lock (session.Sync)
            {
                // What ReleaseIfClosed / the StreamReset case do on the reader thread.
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

    [Fact]
    public async Task SendAfterTheTransportClosed_FailsPromptlyWithAConnectionException()
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
        Assert.True(Assert.IsType<H2ConnectionException>(e).RequestNotProcessed);
        listener.Stop();
    }
}
