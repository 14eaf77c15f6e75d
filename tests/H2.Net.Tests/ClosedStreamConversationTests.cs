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
