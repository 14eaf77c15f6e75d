using H2.Net.Transport;
using Microsoft.Extensions.Logging;

namespace H2.Net.Session;

/// <summary>
/// Drives one <see cref="H2Connection"/> over a duplex transport. This file is the session's life
/// cycle — start, graceful drain, linger, abort, completion — and the streams' entry and exit;
/// the reading loop and the routing of events are in <c>H2Session.Receiving.cs</c>, the sending of
/// stream data in <c>H2Session.Sending.cs</c>, and the writing loop in <see cref="SessionWriter"/>.
/// The connection is only ever touched under <see cref="Sync"/>, briefly, and never while user
/// code runs.
/// </summary>
/// <remarks>
/// Each stream's record is a <see cref="SessionStream"/> attached to the connection's own stream
/// (<see cref="H2Connection.SetStreamUserData"/>): the session keeps no table of its own, and asks
/// the connection whether a stream has ended rather than keeping flags that could disagree.
/// Back-pressure: body writers wait while more than the high-water mark is queued; the reader
/// itself stops reading while four times that is queued (answers to a peer that does not read,
/// PING ACKs say, cannot pile up); each stream's received body is bounded by its window and by a
/// cap on queued chunks. Closing: once the writer has sent everything, the transport is
/// half-closed and the reader runs on until the peer closes or a short deadline passes.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source lives as long as the session; its token is observed until the end.")]
internal abstract partial class H2Session
{
    // After our last byte is out, how long the peer gets to close its side.
    private static readonly TimeSpan s_lingerTimeout = TimeSpan.FromSeconds(2);

    private static readonly KeyValuePair<string, object?> s_sentTag = new("h2.direction", "sent");
    private static readonly KeyValuePair<string, object?> s_receivedTag = new("h2.direction", "received");

    private readonly Stream _transport;
    private readonly TimeSpan _writeTimeout;
    private readonly SessionWriter _writer;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();

    // Which side this is, for the metrics' h2.role tag.
    private readonly bool _client;

    // How far the connection's receive window opens as the application reads; guarded by Sync.
    private readonly ReceiveWindowGrowth _window;

    // The peer's GOAWAY, once received: its error code and last stream identifier.
    private (ErrorCode Code, int LastStreamId)? _goAwayReceived;
    private bool _readerDone;
    private bool _closing;
    private bool _finishWhenDrained;
    private Exception? _failure;

    // When a stream last opened or left (Environment.TickCount64); guarded by Sync.
    private long _streamsChangedAt = Environment.TickCount64;

    // Frames already reported to the metrics; guarded by Sync.
    private long _framesReceivedReported;
    private long _framesSentReported;

    protected H2Session(Stream transport, H2Connection connection, ILogger logger, long connectionId, long outboundHighWater, TimeSpan writeTimeout, int maxConnectionWindow, ReceiveWindowBudget? windowBudget = null)
    {
        _transport = transport;
        Connection = connection;
        Logger = logger;
        ConnectionId = connectionId;
        OutboundHighWater = outboundHighWater;
        _writeTimeout = writeTimeout;
        _window = new ReceiveWindowGrowth(maxConnectionWindow, windowBudget);
        _client = connection.Configuration.ClientSide;
        Role = H2NetMetrics.RoleTag(_client);
        _writer = new SessionWriter(this, transport, _shutdown.Token);
        H2NetMetrics.ConnectionChanged(_client, 1);
    }

    /// <summary>Guards <see cref="Connection"/> and all stream state.</summary>
    public object Sync { get; } = new();

    public H2Connection Connection { get; }

    /// <summary>The connection's identifier in logs and log scopes (process-wide, from 1).</summary>
    public long ConnectionId { get; }

    /// <summary>Where this side's messages go (a null logger when none is configured).</summary>
    protected ILogger Logger { get; }

    /// <summary>Completes when both loops have ended and the transport is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the session ended abnormally, if it did.</summary>
    public Exception? Failure => _failure;

    /// <summary>The number of live streams.</summary>
    public int StreamCount
    {
        get
        {
            lock (Sync)
            {
                return Connection.LiveStreams.Count;
            }
        }
    }

    /// <summary>Body octets one stream may add to the outbound queue before it waits for the transport. Default 64 KiB.</summary>
    public int MaxQueuedBytesPerStream { get; init; } = 64 * 1024;

    /// <summary>Whether the transport can no longer carry frames in; read under <see cref="Sync"/>.</summary>
    public bool IsTransportClosed => _readerDone;

    /// <summary>Whether everything is said: once the queue is empty, the writer may end the session. Read under <see cref="Sync"/>.</summary>
    public bool MayFinish => _finishWhenDrained;

    /// <summary>Queued outbound octets above which body writers wait for the transport.</summary>
    protected long OutboundHighWater { get; }

    /// <summary>Pulsed whenever a stream is forgotten, for callers waiting for a free stream slot.</summary>
    protected AsyncBroadcast StreamReleased { get; } = new();

    /// <summary>The metrics tag of this side: server or client.</summary>
    private KeyValuePair<string, object?> Role { get; }

    /// <summary>Starts the two loops; the connection must already be initiated.</summary>
    protected void Start()
    {
        // Started in place, not through Task.Run: each runs to its first wait (a zero-byte read,
        // the writer's signal) and returns; an idle connection keeps no wrapper tasks.
        Task reader = ReadLoopAsync();
        Task writer = WriteAndLingerAsync();
        _ = FinishAsync(reader, writer);
    }

    /// <summary>Called once, outside the lock, when the transport has closed.</summary>
    protected virtual void OnClosed()
    {
    }

    /// <summary>Wakes the writer loop.</summary>
    public void SignalWriter() => _writer.Signal();

    /// <summary>Counts a protective limit that acted against the peer.</summary>
    protected void LimitTripped(string limit) => H2NetMetrics.LimitTripped(_client, limit);

    /// <summary>Counts a GOAWAY this side sent.</summary>
    protected void GoAwaySent() => H2NetMetrics.GoAways.Add(1, Role, s_sentTag);

    /// <summary>Notes why the session failed, keeping the first reason; an ordinary cancellation is none.</summary>
    public void Failed(Exception error) => _failure ??= error is OperationCanceledException ? null : error;

    /// <summary>Runs an action on the connection under the lock, then wakes the writer.</summary>
    public T Do<T>(Func<H2Connection, T> action)
    {
        T result;
        lock (Sync)
        {
            ThrowIfClosed();
            result = action(Connection);
        }

        SignalWriter();
        return result;
    }

    /// <summary>Attaches a new stream's record to the connection's stream; called under <see cref="Sync"/>.</summary>
    protected void Track(SessionStream stream)
    {
        Connection.SetStreamUserData(stream.Id, stream);
        _streamsChangedAt = Environment.TickCount64;
        H2NetMetrics.StreamChanged(_client, 1);
    }

    /// <summary>The record of a live stream, or <see langword="null"/>; called under <see cref="Sync"/>.</summary>
    protected SessionStream? Find(int streamId) => Connection.GetStreamUserData(streamId) as SessionStream;

    /// <summary>Forgets a stream once the connection has closed it (both sides ended); called under <see cref="Sync"/>.</summary>
    protected void ReleaseIfClosed(SessionStream stream)
    {
        if (!stream.Forgotten && Connection.GetStreamState(stream.Id) == StreamState.Closed)
        {
            Forget(stream);
        }
    }

    /// <summary>A stream leaves the session, once; called under <see cref="Sync"/>.</summary>
    private void Forget(SessionStream stream)
    {
        stream.Forgotten = true;
        _streamsChangedAt = Environment.TickCount64;
        H2NetMetrics.StreamChanged(_client, -1);
        stream.Released();
        StreamReleased.Pulse();
        if (_closing && Connection.LiveStreams.Count == 0)
        {
            // The last stream of a draining connection: close once everything queued is out.
            _finishWhenDrained = true;
            SignalWriter();
        }
    }

    /// <summary>Resets a stream for <paramref name="reason"/>; waits on it fail with an <see cref="H2StreamException"/> that says so.</summary>
    public void Reset(SessionStream stream, ErrorCode code, string reason) =>
        Reset(stream, code, new H2StreamException(code, stream.Id, $"Stream {stream.Id} was reset by this endpoint ({code}): {reason}."));

    /// <summary>
    /// Resets a stream if it is still open, ends its body and fires its token, and forgets it;
    /// waits on it fail with <paramref name="error"/>, by default an <see cref="H2StreamException"/>.
    /// </summary>
    public void Reset(SessionStream stream, ErrorCode code, Exception? error = null)
    {
        error ??= new H2StreamException(code, stream.Id, $"Stream {stream.Id} was reset by this endpoint ({code}).");
        lock (Sync)
        {
            if (!stream.Forgotten)
            {
                if (!Connection.IsClosed && Connection.GetStreamState(stream.Id) != StreamState.Closed)
                {
                    Connection.ResetStream(stream.Id, code);
                    H2NetMetrics.Resets.Add(1, Role, s_sentTag);
                }

                Forget(stream);
            }

            stream.Abort(code, error);
            ReturnCredit(stream.AbandonBody());
        }

        stream.CancelToken();
        SignalWriter();
    }

    /// <summary>
    /// Starts a graceful shutdown: GOAWAY with NO_ERROR, open streams may finish; after
    /// <paramref name="drainTimeout"/> the transport is closed regardless.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan drainTimeout, CancellationToken cancellationToken = default)
    {
        lock (Sync)
        {
            if (!_closing && !Connection.IsClosed && !_readerDone)
            {
                Connection.CloseConnection();
                GoAwaySent();
            }

            BeginClosing();
        }

        SignalWriter();
        try
        {
            await Completion.WaitAsync(drainTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Abort();
            await Completion.ConfigureAwait(false);
        }
    }

    /// <summary>No new streams from here on: the session ends when the last one does. Called under <see cref="Sync"/>.</summary>
    protected void BeginClosing()
    {
        _closing = true;
        if (Connection.LiveStreams.Count == 0)
        {
            _finishWhenDrained = true;
        }
    }

    /// <summary>Aborts the session when a write to the transport has taken longer than the write timeout; called by a timer.</summary>
    /// <param name="now">The current <see cref="Environment.TickCount64"/>.</param>
    public void CheckWriteTimeout(long now)
    {
        long started = _writer.WriteStartedAt;
        if (started != 0 && now - started > _writeTimeout.TotalMilliseconds && !_shutdown.IsCancellationRequested)
        {
            LimitTripped("write_timeout");
            Abort();
        }
    }

    /// <summary>Closes the transport at once.</summary>
    public void Abort()
    {
        try
        {
            _shutdown.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _writer.Signal();
        _writer.PulseDrained();
    }

    /// <summary>
    /// Whether the session has had no live stream for longer than <paramref name="timeout"/>:
    /// frames that open no stream (PING, SETTINGS) do not count as use. Called under <see cref="Sync"/>.
    /// </summary>
    protected bool IsIdle(long now, TimeSpan timeout) => Connection.LiveStreams.Count == 0 && now - _streamsChangedAt > timeout.TotalMilliseconds;

    /// <summary>Reports the frames that moved since the last report; called under <see cref="Sync"/>.</summary>
    public void ReportFrames()
    {
        long received = Connection.FramesReceived;
        long sent = Connection.FramesSent;
        if (received != _framesReceivedReported)
        {
            H2NetMetrics.FramesReceived.Add(received - _framesReceivedReported, Role);
            _framesReceivedReported = received;
        }

        if (sent != _framesSentReported)
        {
            H2NetMetrics.FramesSent.Add(sent - _framesSentReported, Role);
            _framesSentReported = sent;
        }
    }

    /// <summary>
    /// Throws when the connection can carry no more frames; with <paramref name="newStream"/>, for
    /// a request not yet sent, which may therefore be retried. Called under <see cref="Sync"/>.
    /// </summary>
    protected void ThrowIfClosed(bool newStream = false)
    {
        if (Connection.IsClosed || _readerDone)
        {
            throw ConnectionFailure(streamId: 0, newStream);
        }
    }

    /// <summary>The writer, then (after a clean finish) half-closing and lingering for the peer's end.</summary>
    private async Task WriteAndLingerAsync()
    {
        if (!await _writer.RunAsync().ConfigureAwait(false))
        {
            Abort();
            return;
        }

        // Everything is out: end our side and give the peer a moment to end its own, so data it
        // has not read yet is not lost to a reset.
        await HalfClose.SendEndAsync(_transport).ConfigureAwait(false);
        try
        {
            _shutdown.CancelAfter(s_lingerTimeout);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task FinishAsync(Task reader, Task writer)
    {
        try
        {
            await Task.WhenAll(reader, writer).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _failure ??= e;
        }

        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }

        H2NetMetrics.ConnectionChanged(_client, -1);
        lock (Sync)
        {
            _window.Release();
        }

        OnClosed();
        _completion.TrySetResult();
    }
}
