using System.Net;
using System.Net.Sockets;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>How H2Server accepts: through failures (out of descriptors), and no more than MaxConnections at once.</summary>
public class ServerAcceptTests
{
    [Fact]
    public async Task AcceptFailures_AreWaitedOut_AndTheServerGoesOnAccepting()
    {
        var log = new RecordingLoggerFactory();
        var server = new H2Server(c => c.Response.WriteAsync("ok"u8.ToArray()), new H2ServerOptions { LoggerFactory = log });
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        int attempts = 0;

        // The first three accepts fail as they do when the process is out of descriptors (EMFILE).
        ValueTask<Socket> Accept(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref attempts) <= 3
                ? ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets))
                : listener.AcceptAsync(cancellationToken);

        Task loop = server.AcceptLoopAsync(Accept, tls: null);
        await using (server)
        {
            await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/"));
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal("ok"u8.ToArray(), await response.Body.ReadToEndAsync());
        }

        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, log.Snapshot().Count(e => e.EventId.Id == 109 && e.Message.StartsWith("Accepting a connection failed (TooManyOpenSockets", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task BeyondMaxConnections_NewConnectionsWait_UntilOneCloses()
    {
        var server = new H2Server(c => c.Response.WriteAsync("ok"u8.ToArray()), new H2ServerOptions { MaxConnections = 2 });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            RawConnection first = await RawConnection.OpenAsync(endPoint);
            using RawConnection second = await RawConnection.OpenAsync(endPoint);
            await first.SyncAsync();
            await second.SyncAsync();

            // The third connects (the kernel's backlog takes it) but is not served yet.
            using RawConnection third = await RawConnection.OpenAsync(endPoint);
            Task served = third.SyncAsync();
            await Task.Delay(500);
            Assert.False(served.IsCompleted);
            Assert.Equal(2, server.ConnectionCount);

            first.Dispose();
            await served;
        }
    }
}
