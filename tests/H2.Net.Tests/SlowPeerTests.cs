using System.Net;
using System.Net.Sockets;
using System.Reflection;
using H2.Events;
using H2.Frames;
using H2.Hpack;
using H2.Net.Server;
using H2.Net.Session;

namespace H2.Net.Tests;

/// <summary>
/// Clients that send a body a few octets at a time, or take a response that way, are cut off
/// (the 2019 data-dribble and slow-read attacks); a client with huge windows and frames that
/// stops reading cannot make the server queue more than a bounded amount.
/// </summary>
public class SlowPeerTests
{
    private static readonly HeaderField[] Post = [new(":method", "POST"), new(":scheme", "http"), new(":authority", "x"), new(":path", "/")];
    private static readonly HeaderField[] Get = [new(":method", "GET"), new(":scheme", "http"), new(":authority", "x"), new(":path", "/")];

    /// <summary>A raw client over TCP: what the server sends is gathered in the background and parsed at the end.</summary>
    private sealed class RawClient : IDisposable
    {
        private readonly TcpClient _tcp = new();
        private readonly MemoryStream _received = new();
        private Task _reading = Task.CompletedTask;

        public H2Connection Connection { get; } = new(new H2Configuration { ClientSide = true });

        public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint, Action<H2Connection>? setUp = null, bool read = true)
        {
            var client = new RawClient();
            await client._tcp.ConnectAsync(endPoint);
            client.Connection.InitiateConnection();
            setUp?.Invoke(client.Connection);
            if (read)
            {
                client._reading = client.ReadAsync();
            }

            await client.FlushAsync();
            return client;
        }

        public async Task FlushAsync() => await _tcp.GetStream().WriteAsync(Connection.DataToSend());

        /// <summary>Stops the connection and parses everything the server sent.</summary>
        public async Task<List<Event>> EventsAsync()
        {
            _tcp.Client.Shutdown(SocketShutdown.Send);
            await _reading.WaitAsync(TimeSpan.FromSeconds(10));
            var events = new List<Event>();
            try
            {
                events.AddRange(Connection.ReceiveData(_received.ToArray()));
            }
            catch (ProtocolException e)
            {
                events.AddRange(e.Events);
            }

            return events;
        }

        public void Dispose() => _tcp.Dispose();

        private async Task ReadAsync()
        {
            var buffer = new byte[65536];
            NetworkStream stream = _tcp.GetStream();
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    _received.Write(buffer, 0, n);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }
    }

    [Fact]
    public async Task DribbledRequestBody_IsResetWithCancel_AndTheHandlerReadFails()
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new H2Server(
            async context =>
            {
                try
                {
                    await context.Request.Body.ReadToEndAsync();
                }
                catch (IOException e)
                {
                    failed.TrySetResult(e);
                    throw;
                }
            },
            new H2ServerOptions { MinRequestBodyDataRate = new MinDataRate(1000, TimeSpan.FromMilliseconds(300)) });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using RawClient client = await RawClient.ConnectAsync(endPoint, c => c.SendHeaders(1, Post));
            for (int i = 0; i < 50 && !failed.Task.IsCompleted; i++)
            {
                client.Connection.SendData(1, [(byte)'x']);
                await client.FlushAsync();
                await Task.Delay(100);
            }

            Exception error = await failed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Contains("request body slower than 1000 B/s", error.Message, StringComparison.Ordinal);
            StreamReset reset = Assert.Single((await client.EventsAsync()).OfType<StreamReset>());
            Assert.Equal((1, ErrorCode.Cancel), (reset.StreamId, reset.ErrorCode));
        }
    }

    [Fact]
    public async Task HandlerThatReadsLate_IsNotBlamedForItsOwnDelay()
    {
        var server = new H2Server(
            async context =>
            {
                await Task.Delay(1000);
                byte[] body = await context.Request.Body.ReadToEndAsync();
                await context.Response.WriteAsync(body);
            },
            new H2ServerOptions { MinRequestBodyDataRate = new MinDataRate(1000, TimeSpan.FromMilliseconds(300)) });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using RawClient client = await RawClient.ConnectAsync(endPoint, c =>
            {
                c.SendHeaders(1, Post);
                c.SendData(1, "hello"u8, endStream: true);
            });
            await Task.Delay(2000);
            List<Event> events = await client.EventsAsync();
            Assert.DoesNotContain(events, e => e is StreamReset);
            Assert.Equal("hello"u8.ToArray(), events.OfType<DataReceived>().SelectMany(d => d.Data.ToArray()).ToArray());
        }
    }

    [Fact]
    public async Task ClientThatTakesTheResponseTooSlowly_IsResetWithCancel()
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new H2Server(
            async context =>
            {
                try
                {
                    await context.Response.WriteAsync(new byte[1 << 20]);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    failed.TrySetResult(e);
                    throw;
                }
            },
            new H2ServerOptions { MinResponseDataRate = new MinDataRate(100_000, TimeSpan.FromMilliseconds(300)) });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            // The client reads but never opens its window beyond the first 65,535 octets.
            using RawClient client = await RawClient.ConnectAsync(endPoint, c => c.SendHeaders(1, Get, endStream: true));
            await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            List<Event> events = await client.EventsAsync();
            StreamReset reset = Assert.Single(events.OfType<StreamReset>());
            Assert.Equal((1, ErrorCode.Cancel), (reset.StreamId, reset.ErrorCode));
            Assert.Equal(65535, events.OfType<DataReceived>().Sum(d => d.Data.Length));
        }
    }

    [Fact]
    public async Task ClientWithHugeWindowsThatStopsReading_CannotMakeTheServerQueueMuchPerStream()
    {
        const int Streams = 8;
        var server = new H2Server(
            async context =>
            {
                while (true)
                {
                    await context.Response.WriteAsync(new byte[4 << 20], context.Aborted);
                }
            },
            new H2ServerOptions { MinResponseDataRate = null, WriteTimeout = TimeSpan.FromSeconds(30) });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        {
            using RawClient client = await RawClient.ConnectAsync(
                endPoint,
                c =>
                {
                    c.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.MaxFrameSize] = 16_777_215, [SettingCode.InitialWindowSize] = int.MaxValue });
                    c.IncrementFlowControlWindow(int.MaxValue - 65535);
                    for (int i = 0; i < Streams; i++)
                    {
                        c.SendHeaders(1 + (2 * i), Get, endStream: true);
                    }
                },
                read: false);
            await Task.Delay(2000);
            var sessions = (System.Collections.ICollection)typeof(H2Server).GetField("_sessions", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(server)!;
            H2Session session = Assert.Single(((IEnumerable<KeyValuePair<H2ServerSession, byte>>)sessions).Select(p => p.Key));
            long queued;
            lock (session.Sync)
            {
                queued = session.Connection.OutboundDataLength;
            }

            // The connection's high-water mark (1 MiB) plus one turn (64 KiB) per stream, and a frame header or two.
            Assert.InRange(queued, 0, (1 << 20) + (Streams * 65 * 1024));
        }
    }

    [Fact]
    public void OptionsThatWouldStallOrNeverCheck_AreRefused()
    {
        static Task Handler(H2RequestContext context) => Task.CompletedTask;
        Assert.Throws<ArgumentOutOfRangeException>(() => new H2Server(Handler, new H2ServerOptions { MaxQueuedBytesPerStream = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new H2Server(Handler, new H2ServerOptions { MaxQueuedOutboundBytes = 0 }));
        Assert.Throws<ArgumentException>(() => new H2Server(Handler, new H2ServerOptions { MinRequestBodyDataRate = new MinDataRate(0, TimeSpan.Zero) }));
        Assert.Throws<ArgumentException>(() => new H2Server(Handler, new H2ServerOptions { MinResponseDataRate = new MinDataRate(100, TimeSpan.FromSeconds(-1)) }));
    }
}
