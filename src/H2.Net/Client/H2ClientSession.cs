using System.Threading.Channels;
using H2.Events;
using H2.Hpack;
using H2.Net.Logging;
using H2.Net.Session;
using Microsoft.Extensions.Logging.Abstractions;

namespace H2.Net.Client;

/// <summary>The client side of one connection: sends requests and matches responses to them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The timer is disposed when the session closes.")]
internal sealed class H2ClientSession : H2Session
{
    // Until the server's SETTINGS arrive its stream limit is unknown; RFC 9113 §6.5.2 advises it be
    // at least 100, so that is what we assume rather than "unlimited".
    private const int AssumedStreamLimit = 100;

    // Informational (1xx) responses kept per request; later ones are dropped.
    private const int MaxInformationalResponses = 16;

    private readonly Channel<H2PushedResponse> _pushes = Channel.CreateUnbounded<H2PushedResponse>();
    private readonly TaskCompletionSource _serverSettings = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionTerminated> _goAway = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _responseTimeout;
    private readonly TimeSpan _idleTimeout;
    private bool _serverSettingsReceived;
    private Timer? _watch;

    public H2ClientSession(Stream transport, H2Connection connection, H2ClientOptions options, long connectionId, string authority)
        : base(transport, connection, options.LoggerFactory?.CreateLogger(NetLog.ClientCategory) ?? NullLogger.Instance, connectionId, options.MaxQueuedOutboundBytes, options.WriteTimeout, options.ConnectionWindowSize)
    {
        _responseTimeout = options.ResponseTimeout;
        _idleTimeout = options.IdleTimeout;
        _authority = authority;
    }

    private readonly string _authority;

    /// <summary>Completes when the server's first SETTINGS has arrived; fails if the connection closes first.</summary>
    public Task ServerSettings => _serverSettings.Task;

    /// <summary>As HttpClient: a cancelled read of a response body ends the request, resetting its stream with CANCEL.</summary>
    public override OperationCanceledException ReadCancelled(SessionStream stream, CancellationToken token)
    {
        var cancelled = new OperationCanceledException(token);
        Reset(stream, ErrorCode.Cancel, cancelled);
        return cancelled;
    }

    /// <summary>A response body dropped before its end: stop the server sending the rest.</summary>
    public override void BodyDisposed(H2BodyStream body, int streamId)
    {
        base.BodyDisposed(body, streamId);
        SessionStream? open;
        lock (Sync)
        {
            open = Connection.TryGetStream(streamId, out StreamInfo info) && !info.RemoteEnded ? info.UserData as SessionStream : null;
        }

        if (open is not null)
        {
            Reset(open, ErrorCode.Cancel);
        }
    }

    public ChannelReader<H2PushedResponse> Pushes => _pushes.Reader;

    /// <summary>Completes with the server's GOAWAY; cancelled if the connection ends without one.</summary>
    public Task<ConnectionTerminated> GoAway => _goAway.Task;

    /// <summary>Starts the loops; with an upgrade, stream 1 awaits the response to the HTTP/1.1 request.</summary>
    public Task<H2ClientResponse>? Begin(bool upgraded)
    {
        ClientStream? first = null;
        lock (Sync)
        {
            if (upgraded)
            {
                first = new ClientStream(this, 1);
                Track(first);
            }

            // A client asked for what comes: every response may use the whole window at once, so a
            // response read late does not hold back the others.
            OpenConnectionWindow();
        }

        // Servers check all their connections' deadlines from one timer; a client has few
        // connections, so each has its own.
        TimeSpan period = TimeSpan.FromMilliseconds(250);
        _watch = new Timer(static state => ((H2ClientSession)state!).Tick(Environment.TickCount64), this, period, period);
        NetLog.ClientConnected(Logger, ConnectionId, _authority);
        Start();
        return first?.Response.Task;
    }

    public async Task<H2ClientResponse> SendAsync(H2ClientRequest request, string scheme, string authority, CancellationToken cancellationToken)
    {
        bool hasBody = !request.Content.IsEmpty || request.ContentStream is not null;
        bool hasTrailers = request.Trailers.Count > 0 || request.TrailersAfterBody is not null;
        List<HeaderField> headers = RequestHeaderList.Build(request, scheme, authority);

        ClientStream stream = await OpenStreamAsync(headers, endStream: !hasBody && !hasTrailers, request.Priority ?? SessionStream.Unsignalled, cancellationToken).ConfigureAwait(false);

        // The token resets the stream until it ends, so it also cancels a body being read.
        CancellationTokenRegistration cancel = cancellationToken.Register(() => Reset(stream, ErrorCode.Cancel, new OperationCanceledException(cancellationToken)));
        lock (Sync)
        {
            if (!stream.Forgotten)
            {
                stream.Cancellation = cancel;
            }
            else
            {
                cancel.Dispose();
            }
        }

        // The body goes up while the response may already be coming down: a server that answers
        // as it reads (an echo, say) must not wait for a client that reads only after sending.
        Task upload = hasBody || hasTrailers ? UploadAsync(stream, request, hasTrailers, cancellationToken) : Task.CompletedTask;
        Task<H2ClientResponse> response = stream.Response.Task;
        if (await Task.WhenAny(upload, response).ConfigureAwait(false) == upload && !upload.IsCompletedSuccessfully && !response.IsCompletedSuccessfully)
        {
            // The upload failed before any response: that is the request's failure (a timeout
            // says so through the response). Once a response has come, an upload cut short (a
            // server that answered early and reset the stream with NO_ERROR, RFC 9113 §8.1) is no
            // failure of the request.
            Reset(stream, ErrorCode.Cancel);
            if (response.IsFaulted)
            {
                await response.ConfigureAwait(false);
            }

            await upload.ConfigureAwait(false);
        }

        _ = upload.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return await stream.Response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task UploadAsync(ClientStream stream, H2ClientRequest request, bool hasTrailers, CancellationToken cancellationToken)
    {
        if (!request.Content.IsEmpty)
        {
            await WriteAsync(stream, request.Content, endStream: request.ContentStream is null && !hasTrailers, cancellationToken).ConfigureAwait(false);
        }

        if (request.ContentStream is Stream content)
        {
            byte[] buffer = new byte[16384];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(stream, buffer.AsMemory(0, read), endStream: false, cancellationToken).ConfigureAwait(false);
            }

            if (!hasTrailers)
            {
                await WriteAsync(stream, ReadOnlyMemory<byte>.Empty, endStream: true, cancellationToken).ConfigureAwait(false);
            }
        }

        if (hasTrailers)
        {
            List<HeaderField> trailers = RequestHeaderList.Trailers(request.Trailers);
            if (request.TrailersAfterBody?.Invoke() is { } late)
            {
                trailers.AddRange(RequestHeaderList.Trailers([.. late]));
            }

            if (trailers.Count > 0)
            {
                SendHeaderBlock(stream, trailers, endStream: true);
            }
            else
            {
                await WriteAsync(stream, ReadOnlyMemory<byte>.Empty, endStream: true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override void OnEvent(Event @event, SessionStream? stream)
    {
        switch (@event)
        {
            case InformationalResponseReceived informational when stream is not null:
                // The first few are kept for the application; a flood of them is not (the
                // connection counts each beyond the first against its glitch budget).
                if (((ClientStream)stream).Informational is { Count: < MaxInformationalResponses } kept)
                {
                    kept.Add(informational.Headers);
                }

                break;
            case ResponseReceived response when stream is not null:
                var client = (ClientStream)stream;
                client.Response.TrySetResult(new H2ClientResponse(client.Id, response.Headers, client.Body, client.Informational));
                break;
            case PushedStreamReceived pushed:
                var promised = new ClientStream(this, pushed.PushedStreamId);
                Track(promised);
                _pushes.Writer.TryWrite(new H2PushedResponse(pushed.PushedStreamId, pushed.ParentStreamId, pushed.Headers, promised.Response.Task));
                break;
            case ConnectionTerminated goAway:
                NetLog.GoAwayReceived(Logger, ConnectionId, goAway.ErrorCode, goAway.LastStreamId);
                OnCommonEvent(@event, stream);
                _goAway.TrySetResult(goAway);
                break;
            case RemoteSettingsChanged:
                _serverSettingsReceived = true;
                _serverSettings.TrySetResult();
                OnCommonEvent(@event, stream);
                Later(StreamReleased.Pulse);
                break;
            default:
                OnCommonEvent(@event, stream);
                break;
        }
    }

    protected override void OnClosed()
    {
        _watch?.Dispose();
        NetLog.ClientConnectionClosed(Logger, ConnectionId, Failure);
        _pushes.Writer.TryComplete();
        _goAway.TrySetCanceled();
        _serverSettings.TrySetException(new H2ConnectionException(ErrorCode.ConnectError, null, "The connection closed before the server's SETTINGS arrived.", requestNotProcessed: true, Failure));
    }

    /// <summary>
    /// Checks the deadlines: the write timeout, each request's response timeout, and each
    /// stream's idle timeout while the application waits on the server. Called by the timer.
    /// </summary>
    private void Tick(long now)
    {
        CheckWriteTimeout(now);
        List<(ClientStream Stream, Exception Error)>? late = null;
        lock (Sync)
        {
            foreach (StreamInfo info in Connection.LiveStreams)
            {
                if (info.UserData is not ClientStream stream)
                {
                    continue;
                }

                Exception? error =
                    !stream.Response.Task.IsCompleted && Exceeds(now - stream.OpenedAt, _responseTimeout)
                        ? new TimeoutException($"No response on stream {stream.Id} within {_responseTimeout.TotalSeconds:0.###} s (ResponseTimeout).")
                    : Exceeds(stream.BodyIfCreated?.WaitingFor(now) ?? 0, _idleTimeout) || Exceeds(stream.Sending.WaitingFor(now), _idleTimeout)
                        ? new TimeoutException($"Stream {stream.Id} made no progress for {_idleTimeout.TotalSeconds:0.###} s (IdleTimeout).")
                    : null;
                if (error is not null)
                {
                    (late ??= []).Add((stream, error));
                }
            }
        }

        foreach ((ClientStream stream, Exception error) in late ?? [])
        {
            LimitTripped("client_timeout");
            NetLog.ClientStreamTimedOut(Logger, ConnectionId, stream.Id, error.Message);
            Reset(stream, ErrorCode.Cancel, error);
        }
    }

    private static bool Exceeds(long milliseconds, TimeSpan timeout) => timeout != Timeout.InfiniteTimeSpan && milliseconds > timeout.TotalMilliseconds;

    /// <summary>Opens a stream with its request headers, waiting while the server's concurrency limit is reached.</summary>
    private async Task<ClientStream> OpenStreamAsync(List<HeaderField> headers, bool endStream, H2Priority priority, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task slotFreed = StreamReleased.WaitAsync(cancellationToken);
            ClientStream? stream = null;
            lock (Sync)
            {
                ThrowIfClosed(newStream: true);
                ThrowIfGoingAway();

                uint limit = _serverSettingsReceived ? Connection.RemoteSettings.MaxConcurrentStreams : AssumedStreamLimit;
                if (Connection.OpenOutboundStreams < limit)
                {
                    int id = Connection.GetNextAvailableStreamId();
                    SendHeaders(id, headers, endStream);
                    stream = new ClientStream(this, id) { Priority = priority };
                    Track(stream);
                }
            }

            if (stream is not null)
            {
                SignalWriter();
                return stream;
            }

            await slotFreed.ConfigureAwait(false);
        }
    }
}
