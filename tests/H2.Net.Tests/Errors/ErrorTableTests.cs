using System.Net;
using System.Net.Sockets;
using H2.Events;
using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests.Errors;

/// <summary>Each row of the error table in docs/net.md: what a program catches, and what it can branch on.</summary>
public class ErrorTableTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StreamResetByTheServer_IsAStreamException_WithItsCodeAndStream()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.ResetStream(request.StreamId, ErrorCode.InternalError);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);

        H2StreamException error = await Assert.ThrowsAsync<H2StreamException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait));

        Assert.Equal(ErrorCode.InternalError, error.ErrorCode);
        Assert.Equal(1, error.StreamId);
        Assert.False(error.RequestNotProcessed);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public async Task RefusedStream_IsNotProcessed_AndMayBeRetried()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.ResetStream(request.StreamId, ErrorCode.RefusedStream);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);

        H2StreamException error = await Assert.ThrowsAsync<H2StreamException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait));

        Assert.Equal(ErrorCode.RefusedStream, error.ErrorCode);
        Assert.True(error.RequestNotProcessed);
    }

    [Fact]
    public async Task StreamAboveTheGoAwaysLastStream_IsAConnectionException_NotProcessed()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived { StreamId: 3 })
            {
                // Stream 1 was processed; stream 3 arrived after the server decided to go.
                c.SendHeaders(1, [(":status", "200")], endStream: true);
                c.CloseConnection(ErrorCode.NoError, lastStreamId: 1);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        Task<H2ClientResponse> first = client.SendAsync(new H2ClientRequest("GET", "/one"));
        Task<H2ClientResponse> second = client.SendAsync(new H2ClientRequest("GET", "/two"));

        Assert.Equal(200, (await first.WaitAsync(s_wait)).StatusCode);
        H2ConnectionException error = await Assert.ThrowsAsync<H2ConnectionException>(() => second.WaitAsync(s_wait));
        Assert.Equal(ErrorCode.NoError, error.ErrorCode);
        Assert.Equal(1, error.LastStreamId);
        Assert.True(error.RequestNotProcessed);
    }

    [Fact]
    public async Task RequestAfterTheServersGoAway_FailsAtOnce_NotProcessed()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.SendHeaders(request.StreamId, [(":status", "204")], endStream: true);
                c.CloseConnection(ErrorCode.NoError);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        await WaitUntilAsync(() => client.GoAwayReceived);

        H2ConnectionException error = await Assert.ThrowsAsync<H2ConnectionException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait));

        Assert.True(error.RequestNotProcessed);
        Assert.Equal(1, error.LastStreamId);
    }

    [Fact]
    public async Task ConnectionLostWhileTheRequestWasOut_IsAConnectionException_ThatMayHaveBeenProcessed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task accept = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptSocketAsync();
            await s.SendAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
            byte[] buffer = new byte[4096];
            int seen = 0;

            // Past the preface, SETTINGS and the request's HEADERS, then gone without a GOAWAY.
            while (seen < 24 + 9 + 9 && (await s.ReceiveAsync(buffer)) is int read and > 0)
            {
                seen += read;
            }

            await Task.Delay(100);
            s.Close();
        });
        await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/"));

        H2ConnectionException error = await Assert.ThrowsAsync<H2ConnectionException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait));

        Assert.Equal(ErrorCode.ConnectError, error.ErrorCode);
        Assert.Null(error.LastStreamId);
        Assert.False(error.RequestNotProcessed);
        await accept;
        listener.Stop();
    }

    [Fact]
    public async Task ConnectingToAPortNobodyListensOn_IsAConnectionException_WithTheSocketErrorInside()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        H2ConnectionException error = await Assert.ThrowsAsync<H2ConnectionException>(() => H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{port}/")));

        Assert.IsType<SocketException>(error.InnerException);
        Assert.Equal(ErrorCode.ConnectError, error.ErrorCode);
        Assert.True(error.RequestNotProcessed);
    }

    [Fact]
    public async Task CancellingARequest_ThrowsOperationCanceled_WithTheCallersToken_AndResetsTheStreamWithCancel()
    {
        var reset = new TaskCompletionSource<StreamReset>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(new H2Configuration(), (_, e) =>
        {
            if (e is StreamReset r)
            {
                reset.TrySetResult(r);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        using var cts = new CancellationTokenSource();
        Task<H2ClientResponse> pending = client.SendAsync(new H2ClientRequest("GET", "/slow"), cts.Token);
        await Task.Delay(100);

        cts.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(s_wait));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(ErrorCode.Cancel, (await reset.Task.WaitAsync(s_wait)).ErrorCode);
    }

    [Fact]
    public async Task CancellingAResponseBodyRead_ThrowsOperationCanceled_WithThatToken_AndResetsTheStream()
    {
        var reset = new TaskCompletionSource<StreamReset>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            switch (e)
            {
                case RequestReceived request:
                    c.SendHeaders(request.StreamId, [(":status", "200")]);
                    break;
                case StreamReset r:
                    reset.TrySetResult(r);
                    break;
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => response.Body.ReadAsync(new byte[10], cts.Token).AsTask());

        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(ErrorCode.Cancel, (await reset.Task.WaitAsync(s_wait)).ErrorCode);
    }

    [Fact]
    public async Task ConnectionSpecificRequestFields_AreDropped_AsHttpClientDropsThem()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.SendHeaders(request.StreamId, [(":status", "204")], endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        var request = new H2ClientRequest("GET", "/");
        request.Headers.AddRange([("Connection", "keep-alive"), ("keep-alive", "timeout=5"), ("proxy-connection", "x"), ("transfer-encoding", "chunked"), ("upgrade", "websocket"), ("te", "gzip"), ("X-Mixed-Case", "kept"), ("host", "example.org")]);

        await client.SendAsync(request).WaitAsync(s_wait);

        IReadOnlyList<HeaderField> sent = server.Received.OfType<RequestReceived>().Single().Headers;
        Assert.Equal([":method", ":scheme", ":authority", ":path", "x-mixed-case"], sent.Select(h => h.Name));
        Assert.Equal("example.org", sent.Single(h => h.Name == ":authority").Value);
    }

    [Fact]
    public async Task AnInvalidRequestField_IsAnArgumentException_NamingTheFieldAndTheRule()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (_, _) => { });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        var badName = new H2ClientRequest("GET", "/");
        badName.Headers.Add(("bad name", "x"));
        var pseudo = new H2ClientRequest("GET", "/");
        pseudo.Headers.Add((":path", "/other"));

        ArgumentException nameError = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SendAsync(badName));
        ArgumentException pseudoError = await Assert.ThrowsAnyAsync<ArgumentException>(() => client.SendAsync(pseudo));

        Assert.Contains("bad name", nameError.Message, StringComparison.Ordinal);
        Assert.Contains(":path", pseudoError.Message, StringComparison.Ordinal);
        Assert.Empty(server.Received.OfType<RequestReceived>());
    }

    [Fact]
    public async Task ClientResettingItsRequest_FailsTheHandlersBodyRead_WithAStreamException()
    {
        var failure = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new H2Server(async c =>
        {
            try
            {
                await c.Request.Body.ReadToEndAsync();
            }
            catch (Exception e)
            {
                failure.TrySetResult(e);
            }
        });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
        using var cts = new CancellationTokenSource();
        var slowBody = new BlockingStream();
        Task<H2ClientResponse> pending = client.SendAsync(new H2ClientRequest("POST", "/") { ContentStream = slowBody }, cts.Token);
        await Task.Delay(200);

        cts.Cancel();

        H2StreamException error = Assert.IsType<H2StreamException>(await failure.Task.WaitAsync(s_wait));
        Assert.Equal(ErrorCode.Cancel, error.ErrorCode);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }

    /// <summary>A request body that sends a little, then waits until cancelled.</summary>
    private sealed class BlockingStream : Stream
    {
        private bool _sent;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_sent)
            {
                _sent = true;
                buffer.Span[0] = 1;
                return 1;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
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
