using System.Buffers;
using System.Net;
using System.Net.Sockets;
using H2.Frames;
using H2.Hpack;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>
/// RFC 9113 §5.1 over a whole connection: a raw client sends the frames a conformance suite sends on
/// stream 1 while H2Server answers, and the answer is let out at each point between them (the
/// handler waits for the test). Whatever the order, the peer gets the RFC's error.
/// </summary>
public class ClosedStreamConversationTests
{
    private static readonly HeaderField[] Get = [new(":method", "GET"), new(":scheme", "http"), new(":authority", "x"), new(":path", "/")];
    private static readonly HeaderField[] Post = [new(":method", "POST"), new(":scheme", "http"), new(":authority", "x"), new(":path", "/")];

    /// <summary>H2Server whose handler answers 200 with a short body (not reading the request's) once the test lets it.</summary>
    private sealed class GatedServer : IAsyncDisposable
    {
        private readonly H2Server _server;
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatedServer()
        {
            _server = new H2Server(async context =>
            {
                try
                {
                    await _gate.Task;
                    await context.Response.WriteAsync("ok"u8.ToArray());
                }
                finally
                {
                    _done.TrySetResult();
                }
            });
            EndPoint = _server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        }

        public IPEndPoint EndPoint { get; }

        /// <summary>Lets the handler answer and waits until it has returned (or failed on a reset stream).</summary>
        public async Task AnswerAsync()
        {
            _gate.TrySetResult();
            await _done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    /// <summary>A client that writes raw frames and collects the server's frames as they arrive.</summary>
    private sealed class RawConnection : IDisposable
    {
        private readonly TcpClient _tcp = new();
        private readonly HpackEncoder _encoder = new();
        private readonly List<Frame> _frames = [];
        private readonly SemaphoreSlim _arrived = new(0);
        private Task _reading = Task.CompletedTask;
        private int _pings;

        public bool Closed { get; private set; }

        public static async Task<RawConnection> OpenAsync(IPEndPoint endPoint)
        {
            var connection = new RawConnection();
            await connection._tcp.ConnectAsync(endPoint);
            connection._reading = connection.ReadAsync();
            await connection.SendAsync([.. FrameReader.ClientPreface, .. Write(w => SettingsFrame.Write(w, [])), .. Write(SettingsFrame.WriteAck)]);
            return connection;
        }

        public static byte[] Write(Action<IBufferWriter<byte>> write)
        {
            var writer = new ArrayBufferWriter<byte>();
            write(writer);
            return writer.WrittenSpan.ToArray();
        }

        public byte[] Headers(int streamId, HeaderField[] fields, bool endStream) =>
            Write(w => HeadersFrame.Write(w, streamId, _encoder.Encode(fields), 16384, endStream));

        public async Task SendAsync(params byte[][] frames) => await _tcp.GetStream().WriteAsync(frames.SelectMany(f => f).ToArray());

        /// <summary>Sends a PING and waits for its ACK: the server has then read everything sent before it.</summary>
        public async Task SyncAsync()
        {
            byte[] data = BitConverter.GetBytes((long)Interlocked.Increment(ref _pings));
            await SendAsync(Write(w => PingFrame.Write(w, data)));
            await WaitForAsync(f => f is PingFrame { Ack: true } ping && ping.OpaqueData.Span.SequenceEqual(data), $"the ACK of PING {_pings}");
        }

        /// <summary>Waits until the server has sent a frame that matches, and returns it.</summary>
        public async Task<Frame> WaitForAsync(Func<Frame, bool> match, string what)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                lock (_frames)
                {
                    if (_frames.FirstOrDefault(match) is Frame found)
                    {
                        return found;
                    }

                    if (Closed)
                    {
                        Assert.Fail($"The server closed the connection without sending {what}; it sent: {string.Join(", ", _frames)}.");
                    }
                }

                try
                {
                    await _arrived.WaitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    lock (_frames)
                    {
                        Assert.Fail($"No {what} within 10 s; the server sent: {string.Join(", ", _frames)}.");
                    }
                }
            }
        }

        public List<Frame> Frames()
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }

        public void Dispose() => _tcp.Dispose();

        private async Task ReadAsync()
        {
            var reader = new FrameReader();
            var collector = new FrameCollector();
            var buffer = new byte[65536];
            NetworkStream stream = _tcp.GetStream();
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer)) > 0)
                {
                    reader.Read(buffer.AsSpan(0, n), collector);
                    lock (_frames)
                    {
                        _frames.AddRange(collector.Frames);
                    }

                    collector.Frames.Clear();
                    _arrived.Release();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
            finally
            {
                Closed = true;
                _arrived.Release();
            }
        }
    }

    private static bool EndsStream1(Frame frame) =>
        frame is DataFrame { StreamId: 1, EndStream: true } or HeadersFrame { StreamId: 1, EndStream: true };

    [Fact]
    public async Task HeadersOnAStreamBothSidesEnded_GetGoAwayStreamClosed()
    {
        await using var server = new GatedServer();
        using RawConnection client = await RawConnection.OpenAsync(server.EndPoint);
        await client.SendAsync(client.Headers(1, Get, endStream: true));
        await server.AnswerAsync();
        await client.WaitForAsync(EndsStream1, "the response");

        await client.SendAsync(client.Headers(1, Get, endStream: true));
        var goAway = (GoAwayFrame)await client.WaitForAsync(f => f is GoAwayFrame, "GOAWAY");
        Assert.Equal((ErrorCode.StreamClosed, 1), (goAway.ErrorCode, goAway.LastStreamId));
    }

    public enum Moment
    {
        AfterHeaders,
        AfterTheFrames,
        BeforeTheLastFrame,
    }

    /// <summary>
    /// HEADERS with END_STREAM, then a malformed frame on stream 1; the server's answer goes out
    /// after the HEADERS, after the malformed frame, or not before the frame has arrived.
    /// </summary>
    [Theory]
    [InlineData(Moment.AfterHeaders, "PRIORITY of 4 octets")]
    [InlineData(Moment.AfterTheFrames, "PRIORITY of 4 octets")]
    [InlineData(Moment.AfterHeaders, "WINDOW_UPDATE of 0")]
    [InlineData(Moment.AfterTheFrames, "WINDOW_UPDATE of 0")]
    public async Task MalformedFrame_AfterTheRequest_IsAStreamError_WhereverTheAnswerFalls(Moment answer, string frame)
    {
        (byte[] bytes, ErrorCode code) = frame == "WINDOW_UPDATE of 0"
            ? (RawConnection.Write(w => UnknownFrame.Write(w, FrameType.WindowUpdate, 0, 1, [0, 0, 0, 0])), ErrorCode.ProtocolError)
            : (RawConnection.Write(w => UnknownFrame.Write(w, FrameType.Priority, 0, 1, [0, 0, 0, 0])), ErrorCode.FrameSizeError);
        await using var server = new GatedServer();
        using RawConnection client = await RawConnection.OpenAsync(server.EndPoint);
        await client.SendAsync(client.Headers(1, Get, endStream: true));

        // The request alone first, so its handler has been started whenever the frame comes.
        await client.SyncAsync();
        if (answer == Moment.AfterHeaders)
        {
            await server.AnswerAsync();
            await client.WaitForAsync(EndsStream1, "the response");
        }

        await client.SendAsync(bytes);
        await client.SyncAsync();
        if (answer == Moment.AfterTheFrames)
        {
            await server.AnswerAsync();
        }

        var reset = (RstStreamFrame)await client.WaitForAsync(f => f is RstStreamFrame { StreamId: 1 }, "RST_STREAM on stream 1");
        Assert.Equal(code, reset.ErrorCode);
        await client.SyncAsync();
        Assert.DoesNotContain(client.Frames(), f => f is GoAwayFrame);
    }

    /// <summary>
    /// The conformance suite's HEADERS (no END_STREAM), RST_STREAM, DATA on one stream, with the
    /// server's answer (which then resets the unread upload with NO_ERROR) let out after the
    /// HEADERS, after the RST_STREAM, or after the DATA: the DATA is STREAM_CLOSED every time.
    /// </summary>
    [Theory]
    [InlineData(Moment.AfterHeaders)]
    [InlineData(Moment.BeforeTheLastFrame)]
    [InlineData(Moment.AfterTheFrames)]
    public async Task DataAfterTheClientsReset_IsStreamClosed_WhereverTheAnswerFalls(Moment answer)
    {
        await using var server = new GatedServer();
        using RawConnection client = await RawConnection.OpenAsync(server.EndPoint);
        await client.SendAsync(client.Headers(1, Post, endStream: false));
        await client.SyncAsync();
        if (answer == Moment.AfterHeaders)
        {
            await server.AnswerAsync();
            await client.WaitForAsync(EndsStream1, "the response");
            await client.WaitForAsync(f => f is RstStreamFrame { StreamId: 1, ErrorCode: ErrorCode.NoError }, "RST_STREAM NO_ERROR after the response");
        }

        await client.SendAsync(RawConnection.Write(w => RstStreamFrame.Write(w, 1, ErrorCode.Cancel)));
        await client.SyncAsync();
        if (answer == Moment.BeforeTheLastFrame)
        {
            await server.AnswerAsync();
            await client.SyncAsync();
        }

        await client.SendAsync(RawConnection.Write(w => DataFrame.Write(w, 1, "late"u8, endStream: true)));
        await client.SyncAsync();
        if (answer == Moment.AfterTheFrames)
        {
            await server.AnswerAsync();
            await client.SyncAsync();
        }

        await client.WaitForAsync(f => f is RstStreamFrame { StreamId: 1, ErrorCode: ErrorCode.StreamClosed }, "RST_STREAM STREAM_CLOSED on stream 1");
        Assert.DoesNotContain(client.Frames(), f => f is GoAwayFrame);
    }
}
