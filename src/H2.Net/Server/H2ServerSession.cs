using System.Net;
using H2.Events;
using H2.Hpack;
using H2.Net.Logging;
using H2.Net.Session;
using Microsoft.Extensions.Logging;

namespace H2.Net.Server;

/// <summary>The server side of one connection: turns each request into a call of the handler.</summary>
internal sealed class H2ServerSession : H2Session
{
    private static readonly HeaderField[] s_continue = [(":status", "100")];

    private readonly H2RequestHandler _handler;
    private readonly H2ServerOptions _options;
    private readonly EndPoint? _remote;
    private readonly bool _tls;
    private readonly int _handlerLimit;
    private readonly long _started = Environment.TickCount64;
    private int _runningHandlers;
    private bool _settingsReceived;
    private long _headerBlockSince;
    private long _frameSince;
    private long _framesAtFrameStart;
    private bool _monitorDone;

    // Requests waiting for a handler slot, in arrival order; guarded by Sync.
    private readonly Queue<(ServerStream Stream, IReadOnlyList<HeaderField> Headers, bool CanHaveBody)> _waitingForHandler = new();

    // Finished requests' records, kept for the next requests of the connection; guarded by Sync.
    private const int MaxSpareStreams = 8;
    private readonly Stack<ServerStream> _spare = new();

    // Streams opened by the events of one read, started once the lock is released; reader only.
    private readonly List<(ServerStream Stream, IReadOnlyList<HeaderField> Headers, bool CanHaveBody)> _opened = [];

    private H2ServerSession(Stream transport, H2Connection connection, H2RequestHandler handler, H2ServerOptions options, ILogger logger, long connectionId, EndPoint? remote, bool tls, ReceiveWindowBudget windowBudget)
        : base(transport, connection, logger, connectionId, options.MaxQueuedOutboundBytes, options.WriteTimeout, options.ConnectionWindowSize, windowBudget)
    {
        MaxQueuedBytesPerStream = options.MaxQueuedBytesPerStream;
        _handler = handler;
        _options = options;
        _remote = remote;
        _tls = tls;

        // Handlers still running after their stream was reset count too, so resets cannot multiply work.
        _handlerLimit = Math.Max(1, connection.Configuration.MaxConcurrentStreams);
    }

    /// <summary>Starts a session on a transport that carries the client preface next.</summary>
    public static H2ServerSession Start(Stream transport, H2RequestHandler handler, H2ServerOptions options, ILogger logger, ReceiveWindowBudget windowBudget, EndPoint? remote, bool tls, Http11Request? upgrade = null)
    {
        long id = NetLog.NextConnectionId();
        var connection = new H2Connection(FrameLogging.Configure(options.ConnectionConfiguration(), options.LoggerFactory, id));
        var session = new H2ServerSession(transport, connection, handler, options, logger, id, remote, tls, windowBudget);
        NetLog.ConnectionStarted(logger, id, remote);
        lock (session.Sync)
        {
            if (upgrade is null)
            {
                connection.InitiateConnection();
            }
            else
            {
                connection.InitiateUpgradeConnection(upgrade.Http2Settings ?? string.Empty, upgrade.Method);
                var stream = new ServerStream(session, 1);
                session.Track(stream);
                if (upgrade.Body.Length > 0)
                {
                    _ = stream.Body.Enqueue(upgrade.Body, 0, out _);
                }

                stream.Body.Complete(null);

                // The upgraded request runs a handler like any other, and is counted like one.
                Interlocked.Increment(ref session._runningHandlers);
                session.Dispatch(stream, upgrade.ToHttp2Headers(tls), canHaveBody: upgrade.Body.Length > 0);
            }
        }

        session.Start();
        return session;
    }

    /// <summary>Promises and sets up a pushed response; <see langword="null"/> when the client takes no pushes.</summary>
    public H2ServerResponse? Push(ServerStream parent, string path, IEnumerable<HeaderField>? headers)
    {
        H2ServerRequest request = parent.Context!.Request;
        ServerStream pushed;
        lock (Sync)
        {
            if (Connection.IsClosed || !Connection.RemoteSettings.EnablePush)
            {
                return null;
            }

            int id = Connection.GetNextAvailableStreamId();
            List<HeaderField> fields =
            [
                (":method", "GET"),
                (":scheme", request.Scheme),
                (":authority", request.Authority ?? string.Empty),
                (":path", path),
                .. headers ?? [],
            ];
            Connection.PushStream(parent.Id, id, fields);
            pushed = new ServerStream(this, id) { Pushed = true };
            Track(pushed);
        }

        SignalWriter();
        var response = new H2ServerResponse(this, pushed) { MinDataRate = _options.MinResponseDataRate };
        pushed.Context = new H2RequestContext(pushed, request, response, _remote, _tls);
        return response;
    }

    protected override void OnEvent(Event @event, SessionStream? stream)
    {
        switch (@event)
        {
            case RequestReceived request:
                ServerStream opened = _spare.TryPop(out ServerStream? spare) ? spare.Reuse(request.StreamId) : new ServerStream(this, request.StreamId);
                Track(opened);
                // RFC 9218 §4: the response goes out in the order the request's priority asks.
                if (HeaderLookup.Find(request.Headers, "priority") is { } priority)
                {
                    opened.Priority = H2Priority.Parse(priority);
                }

                // A request that ended with its headers has no body to queue: its body, if the
                // handler looks, is made complete and empty then.
                if (request.StreamEnded is null && _options.AnswerExpectContinue && ExpectsContinue(request.Headers))
                {
                    opened.ContinueExpected = true;
                }

                if (Volatile.Read(ref _runningHandlers) >= _handlerLimit)
                {
                    // Every handler slot is taken (handlers still running after their stream
                    // closed or was reset count too): the request waits for one. The wait is
                    // bounded by the connection's stream limit, which counts these streams; a
                    // client is never refused a stream its window of streams allows.
                    LimitTripped("concurrent_handlers");
                    _waitingForHandler.Enqueue((opened, request.Headers, request.StreamEnded is null));
                    break;
                }

                Interlocked.Increment(ref _runningHandlers);
                _opened.Add((opened, request.Headers, request.StreamEnded is null));
                break;
            case PriorityUpdateReceived update when Find(update.PrioritizedStreamId) is { } prioritized:
                // RFC 9218 §7: the new value replaces the stream's priority whole.
                prioritized.Priority = H2Priority.Parse(update.PriorityFieldValue);
                break;
            case RemoteSettingsChanged:
                _settingsReceived = true;
                OnCommonEvent(@event, stream);
                break;
            default:
                OnCommonEvent(@event, stream);
                break;
        }
    }

    private static bool ExpectsContinue(IReadOnlyList<HeaderField> headers)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            if (headers[i].Name == "expect" && headers[i].Value.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sends 100 (Continue) on a stream whose final response has not started (RFC 9110 §10.1.1).</summary>
    public override void SendContinue(int streamId)
    {
        lock (Sync)
        {
            if (Connection.IsClosed || !Connection.TryGetStream(streamId, out StreamInfo info) || info.FinalHeadersSent || info.LocalEnded)
            {
                return;
            }

            Connection.SendHeaders(streamId, s_continue);
        }

        SignalWriter();
    }

    /// <summary>A handler has ended: its slot goes to the request waiting longest, if any.</summary>
    private void HandlerEnded()
    {
        while (true)
        {
            (ServerStream Stream, IReadOnlyList<HeaderField> Headers, bool CanHaveBody) next;
            lock (Sync)
            {
                if (!_waitingForHandler.TryDequeue(out next))
                {
                    Interlocked.Decrement(ref _runningHandlers);
                    return;
                }
            }

            if (next.Stream.ResetCode is null)
            {
                // The slot passes on, so the count stays.
                Dispatch(next.Stream, next.Headers, next.CanHaveBody);
                return;
            }

            // Reset while it waited: no handler, and the next in line may have the slot.
            CompleteWork(next.Stream);
        }
    }

    protected override void AfterEvents()
    {
        foreach ((ServerStream stream, IReadOnlyList<HeaderField> headers, bool canHaveBody) in _opened)
        {
            Dispatch(stream, headers, canHaveBody);
        }

        _opened.Clear();
    }

    private void Dispatch(ServerStream stream, IReadOnlyList<HeaderField> headers, bool canHaveBody)
    {
        if (stream.ResetCode is not null)
        {
            // Reset in the same read that opened it: no handler at all.
            CompleteWork(stream);
            HandlerEnded();
            return;
        }

        if (stream.Context is { } reused)
        {
            reused.Request.Renew(headers, canHaveBody);
            reused.Request.MinBodyDataRate = _options.MinRequestBodyDataRate;
            reused.Response.Renew(isHead: reused.Request.Method == "HEAD", _options.MinResponseDataRate);
        }
        else
        {
            var request = new H2ServerRequest(stream, headers, canHaveBody) { MinBodyDataRate = _options.MinRequestBodyDataRate };
            var response = new H2ServerResponse(this, stream, isHead: request.Method == "HEAD") { MinDataRate = _options.MinResponseDataRate };
            stream.Context = new H2RequestContext(stream, request, response, _remote, _tls);
        }

        // The handler is application code: it runs on the thread pool, never on the reader loop.
        // The stream is its own work item (no closure, no Task.Run, no captured context).
        ThreadPool.UnsafeQueueUserWorkItem(stream, preferLocal: true);
    }

    /// <summary>Runs the handler of a dispatched stream and ends its response.</summary>
    internal async Task RunHandlerAsync(ServerStream stream)
    {
        H2RequestContext context = stream.Context!;
        bool completed = false;

        // The handler's own messages, through loggers of the same factory, carry the connection and stream.
        using IDisposable? scope = _options.LoggerFactory is null ? null : Logger.BeginScope(new StreamScope(ConnectionId, stream.Id));
        try
        {
            await _handler(context).ConfigureAwait(false);
            // No token: a wait here ends with the stream anyway, and asking for the abort token would make one for every request.
            await context.Response.CompleteAsync().ConfigureAwait(false);
            completed = true;
        }
        catch (Exception e) when ((stream.Failure is not null || stream.Aborted.IsCancellationRequested) && e is OperationCanceledException or IOException)
        {
            // The client reset the stream or went away; nothing to answer.
        }
        catch (Exception e)
        {
            HandlerFailed(stream, e);
            try
            {
                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = 500;
                    context.Response.Headers.Clear();
                    context.Response.Trailers.Clear();
                    await context.Response.CompleteAsync().ConfigureAwait(false);
                }
                else
                {
                    Reset(stream, ErrorCode.InternalError);
                }
            }
            catch (Exception inner) when (inner is IOException or H2Exception or InvalidOperationException)
            {
                Reset(stream, ErrorCode.InternalError);
            }
        }
        finally
        {
            FinishHandler(stream, completed);
            HandlerEnded();
        }
    }

    protected override void OnClosed() => NetLog.ConnectionClosed(Logger, ConnectionId);

    /// <summary>
    /// A handler threw: logged at Error with the exception; with no logger configured, written to
    /// standard error, so that a failing handler is never silent.
    /// </summary>
    private void HandlerFailed(ServerStream stream, Exception error)
    {
        if (_options.LoggerFactory is null)
        {
            Console.Error.WriteLine($"H2Sharp.Net: the handler failed on stream {stream.Id} of connection {ConnectionId}: {error}");
        }
        else
        {
            NetLog.HandlerFailed(Logger, error, ConnectionId, stream.Id);
        }
    }

    /// <summary>
    /// After a handler: gives back the credit of request body nobody will read, tells the
    /// connection the work is done (a reset stream stops counting against the concurrency limit),
    /// and, after a complete response, asks a client still sending to stop (RFC 9113 §8.1:
    /// RST_STREAM with NO_ERROR). One step under the lock in the usual case.
    /// </summary>
    private void FinishHandler(ServerStream stream, bool completed)
    {
        bool unread;
        bool wake;
        lock (Sync)
        {
            unread = completed && !stream.Forgotten && Connection.TryGetStream(stream.Id, out StreamInfo info) && !info.RemoteEnded;
            ReturnCredit(stream.AbandonBody());
            if (!unread && !Connection.IsClosed)
            {
                Connection.CompleteStreamWork(stream.Id);
            }

            wake = Connection.OutboundDataLength > 0;
            if (!unread && _options.ReuseRequestObjects && _spare.Count < MaxSpareStreams && stream.Reusable)
            {
                // Finished, closed, and nothing of it handed out that could outlive the handler.
                _spare.Push(stream);
            }
        }

        if (unread)
        {
            Reset(stream, ErrorCode.NoError);
            CompleteWork(stream);
            wake = true;
        }

        if (wake)
        {
            SignalWriter();
        }
    }

    /// <summary>Tells the connection the handler is done, so a reset stream stops counting against the concurrency limit.</summary>
    private void CompleteWork(ServerStream stream)
    {
        lock (Sync)
        {
            if (!Connection.IsClosed)
            {
                Connection.CompleteStreamWork(stream.Id);
            }
        }
    }

    /// <summary>Resets the streams whose client sends the request body or takes the response slower than allowed.</summary>
    private void ResetSlowStreams(long now)
    {
        List<(ServerStream Stream, string Reason)>? slow = null;
        lock (Sync)
        {
            foreach (StreamInfo info in Connection.LiveStreams)
            {
                if (info.UserData is not ServerStream { Context: { } context } stream)
                {
                    continue;
                }

                string? reason =
                    context.Request.MinBodyDataRate is { } inbound && stream.BodyIfCreated is { } body && body.IsArrivingSlowerThan(inbound, now) ? $"request body slower than {inbound.BytesPerSecond} B/s" :
                    context.Response.MinDataRate is { } outbound && stream.Sending.IsBelow(outbound, now) ? $"response taken slower than {outbound.BytesPerSecond} B/s" :
                    null;
                if (reason is not null)
                {
                    (slow ??= []).Add((stream, reason));
                }
            }
        }

        foreach ((ServerStream stream, string reason) in slow ?? [])
        {
            NetLog.SlowStreamReset(Logger, ConnectionId, stream.Id, reason);
            LimitTripped("min_data_rate");
            Reset(stream, ErrorCode.Cancel, reason);
        }
    }

    /// <summary>Closes with GOAWAY ENHANCE_YOUR_CALM a connection whose peer left a frame or header block unfinished too long.</summary>
    private void CloseForSlowPeer(string what, string limit)
    {
        _monitorDone = true;
        NetLog.SlowPeerClosed(Logger, ConnectionId, what);
        LimitTripped(limit);
        try
        {
            Do(c =>
            {
                c.CloseConnection(ErrorCode.EnhanceYourCalm, System.Text.Encoding.ASCII.GetBytes($"{what} timeout"));
                GoAwaySent();
                return 0;
            });
        }
        catch (IOException)
        {
            // Closed already.
        }

        _ = ShutdownAsync(TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// Checks the session's deadlines; called by the server's one timer for all its connections
    /// (a timer per connection would cost an idle connection more than everything else it holds).
    /// Closes the connection when the handshake does not complete in time, when a header block
    /// stays open too long, or when it has been idle too long; resets streams that move too slowly.
    /// </summary>
    internal void Tick(long now)
    {
        if (Completion.IsCompleted)
        {
            return;
        }

        CheckWriteTimeout(now);
        if (_monitorDone)
        {
            return;
        }

        bool handshakeLate;
        bool idle;
        bool headerBlockLate;
        bool frameLate;
        lock (Sync)
        {
            _headerBlockSince = Connection.IsReceivingHeaderBlock ? (_headerBlockSince == 0 ? now : _headerBlockSince) : 0;
            headerBlockLate = _headerBlockSince != 0 && now - _headerBlockSince > _options.HeaderBlockTimeout.TotalMilliseconds;

            // A frame begun and not finished: the same frame as at the last look if no frame has
            // completed since, so a steady flow of frames never adds up to a late one.
            long frames = Connection.FramesReceived;
            if (!Connection.IsReceivingFrame)
            {
                _frameSince = 0;
            }
            else if (_frameSince == 0 || frames != _framesAtFrameStart)
            {
                _frameSince = now;
                _framesAtFrameStart = frames;
            }

            frameLate = _frameSince != 0 && now - _frameSince > _options.FrameTimeout.TotalMilliseconds;
            handshakeLate = !_settingsReceived && now - _started > _options.HandshakeTimeout.TotalMilliseconds;
            idle = _settingsReceived && IsIdle(now, _options.IdleTimeout);
        }

        if (handshakeLate)
        {
            _monitorDone = true;
            NetLog.HandshakeTimedOut(Logger, ConnectionId);
            LimitTripped("handshake_timeout");
            Abort();
        }
        else if (headerBlockLate)
        {
            CloseForSlowPeer("header block", "header_block_timeout");
        }
        else if (frameLate)
        {
            CloseForSlowPeer("frame", "frame_timeout");
        }
        else if (idle)
        {
            _monitorDone = true;
            _ = ShutdownAsync(_options.DrainTimeout);
        }
        else
        {
            ResetSlowStreams(now);
        }
    }
}
