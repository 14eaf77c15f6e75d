using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Net.Client;
using H2.Net.Server;
using Xunit.Abstractions;

namespace H2.Net.Tests;

/// <summary>A graceful stop lets the streams in flight finish, however slowly the client reads.</summary>
public class GracefulStopTests(ITestOutputHelper output)
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

    [Fact]
    public async Task GracefulStop_DeliversTheWholeResponseToASlowClient_OverASocket()
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

    [Fact]
    public async Task GracefulStop_DeliversTheWholeResponseToASlowClient_OverPipes()
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
}
