using System.Buffers;
using H2.Events;
using H2.Hpack;
using H2.Net.Transport;

namespace H2.Net.Session;

/// <summary>
/// Drives one <see cref="H2Connection"/> over a duplex transport: a reader loop feeds received
/// bytes to the connection and routes its events, a writer loop drains what the connection
/// queues. The connection is only ever touched under <see cref="Sync"/>, briefly, and never
/// while user code runs.
/// </summary>
/// <remarks>
/// Back-pressure: body writers wait while more than the high-water mark is queued; the reader
/// itself stops reading while four times that is queued (answers to a peer that does not read,
/// PING ACKs say, cannot pile up); each stream's received body is bounded by its window and by a
/// cap on queued chunks. Closing: once the writer has sent everything, the transport is
/// half-closed and the reader runs on until the peer closes or a short deadline passes.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source lives as long as the session; its token is observed until the end.")]
internal abstract class H2Session
{
    private const int ReadBufferSize = 64 * 1024;
    private const int WriteBufferSize = 64 * 1024;

    // Bodies of at least this size are written to the transport straight from the queue.
    private const int DirectWriteThreshold = 16 * 1024;

    // After our last byte is out, how long the peer gets to close its side.
    private static readonly TimeSpan s_lingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Stream _transport;
    private readonly TimeSpan _writeTimeout;
    private readonly WakeSignal _writeSignal = new();
    private readonly AsyncBroadcast _drained = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();
    private bool _readerDone;
    private bool _closing;
    private bool _finishWhenDrained;
    private Exception? _failure;
    // When a stream last opened or left (Environment.TickCount64); guarded by Sync.
    private long _streamsChangedAt = Environment.TickCount64;

    // When the write in progress began (Environment.TickCount64), or 0 between writes; a timer
    // compares it with the write timeout, so a write costs no timer of its own.
    private long _writeStartedAt;

    // Which side this is, for the metrics' h2.role tag.
    private readonly bool _client;

    // Frames already reported to the metrics; guarded by Sync.
    private long _framesReceivedReported;
    private long _framesSentReported;

    // How far the connection's receive window opens as the application reads; guarded by Sync.
    private readonly ReceiveWindowGrowth _window;

    protected H2Session(Stream transport, H2Connection connection, long outboundHighWater, TimeSpan writeTimeout, int maxConnectionWindow, ReceiveWindowBudget? windowBudget = null)
    {
        _transport = transport;
        Connection = connection;
        OutboundHighWater = outboundHighWater;
        _writeTimeout = writeTimeout;
        _window = new ReceiveWindowGrowth(maxConnectionWindow, windowBudget);
        _client = connection.Configuration.ClientSide;
        Role = H2NetMetrics.RoleTag(_client);
        H2NetMetrics.ConnectionChanged(_client, 1);
    }

    /// <summary>The metrics tag of this side: server or client.</summary>
    private KeyValuePair<string, object?> Role { get; }

    private static KeyValuePair<string, object?> SentTag { get; } = new("h2.direction", "sent");

    private static KeyValuePair<string, object?> ReceivedTag { get; } = new("h2.direction", "received");

    /// <summary>Counts a protective limit that acted against the peer.</summary>
    protected void LimitTripped(string limit) => H2NetMetrics.LimitTripped(_client, limit);

    /// <summary>Counts a GOAWAY this side sent.</summary>
    protected void GoAwaySent() => H2NetMetrics.GoAways.Add(1, Role, SentTag);

    /// <summary>Guards <see cref="Connection"/> and all stream state.</summary>
    public object Sync { get; } = new();

    public H2Connection Connection { get; }

    /// <summary>Open streams by identifier; guarded by <see cref="Sync"/>.</summary>
    protected Dictionary<int, SessionStream> Streams { get; } = [];

    /// <summary>Queued outbound octets above which body writers wait for the transport.</summary>
    protected long OutboundHighWater { get; }

    /// <summary>Pulsed whenever a stream is forgotten, for callers waiting for a free stream slot.</summary>
    protected AsyncBroadcast StreamReleased { get; } = new();

    /// <summary>Whether the transport can no longer carry frames in; read under <see cref="Sync"/>.</summary>
    protected bool IsTransportClosed => _readerDone;

    /// <summary>Completes when both loops have ended and the transport is closed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the session ended abnormally, if it did.</summary>
    public Exception? Failure => _failure;

    /// <summary>The number of open streams.</summary>
    public int StreamCount
    {
        get
        {
            lock (Sync)
            {
                return Streams.Count;
            }
        }
    }

    /// <summary>Starts the two loops; the connection must already be initiated.</summary>
    protected void Start()
    {
        // Started in place, not through Task.Run: each runs to its first wait (a zero-byte read,
        // the writer's signal) and returns; an idle connection keeps no wrapper tasks.
        Task reader = ReadLoopAsync();
        Task writer = WriteLoopAsync();
        _ = FinishAsync(reader, writer);
    }

    /// <summary>Handles one event under <see cref="Sync"/>; work that runs user code goes into <paramref name="later"/>.</summary>
    protected abstract void OnEvent(Event @event, List<Action> later);

    /// <summary>Called by the reader, outside the lock, after the events of one read have been handled.</summary>
    protected virtual void AfterEvents()
    {
    }

    /// <summary>Called once, outside the lock, when the transport has closed.</summary>
    protected virtual void OnClosed()
    {
    }

    /// <summary>Wakes the writer loop.</summary>
    public void SignalWriter() => _writeSignal.Set();

    /// <summary>Gives flow-control credit back for body octets the application has consumed.</summary>
    public void Acknowledge(int streamId, int length)
    {
        lock (Sync)
        {
            if (!Connection.IsClosed)
            {
                Connection.AcknowledgeReceivedData(length, streamId);
                OpenWindow(_window.Read(length));
            }
        }

        SignalWriter();
    }

    /// <summary>
    /// Opens the connection's receive window to its most at once, for a peer whose data the
    /// application chose to receive (a client's responses) rather than data pushed at it. Called
    /// under <see cref="Sync"/> before the loops start.
    /// </summary>
    protected void OpenConnectionWindow() => OpenWindow(_window.OpenFully());

    private void OpenWindow(int increment)
    {
        if (increment > 0)
        {
            Connection.IncrementFlowControlWindow(increment);
        }
    }

    /// <summary>A body's first read found nothing while the peer waits for 100 (Continue); servers answer it.</summary>
    public virtual void SendContinue(int streamId)
    {
    }

    /// <summary>A body stream was disposed: nobody will read the rest, so its credit goes back now (the stream may be closed already).</summary>
    public virtual void BodyDisposed(H2BodyStream body, int streamId)
    {
        lock (Sync)
        {
            ReturnCredit(body.Abandon());
        }

        SignalWriter();
    }

    /// <summary>
    /// Sends body data on a stream as the windows allow, waiting for WINDOW_UPDATE when they are
    /// shut and for the transport when too much is queued. <paramref name="headers"/>, when given,
    /// go first, in the same step as the first data (a whole small response takes one lock).
    /// </summary>
    public ValueTask WriteAsync(SessionStream stream, IReadOnlyList<HeaderField>? headers, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        // Most writes fit at once: no wait, no token, no state machine.
        bool done;
        try
        {
            done = TrySend(stream, headers, ref data, endStream, checkTransport: true, out _);
        }
        catch (Exception e)
        {
            // As an async method would: the caller sees the failure when it awaits.
            return ValueTask.FromException(e);
        }

        return done ? default : new ValueTask(WriteSlowAsync(stream, data, endStream, cancellationToken));
    }

    /// <summary>Sends body data on a stream; see the overload with headers.</summary>
    public ValueTask WriteAsync(SessionStream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken) =>
        WriteAsync(stream, null, data, endStream, cancellationToken);

    /// <summary>
    /// Queues what the windows allow in one step under the lock; returns whether the write is
    /// complete. With <paramref name="checkTransport"/>, queues no data while the transport is behind.
    /// </summary>
    private bool TrySend(SessionStream stream, IReadOnlyList<HeaderField>? headers, ref ReadOnlyMemory<byte> data, bool endStream, bool checkTransport, out bool sent)
    {
        sent = false;
        bool done;
        lock (Sync)
        {
            ThrowIfUnusable(stream);
            if (headers is not null)
            {
                QueueHeaders(stream, headers, endStream && data.IsEmpty);
                sent = true;
                if (endStream && data.IsEmpty)
                {
                    endStream = false;
                }
            }

            if (!checkTransport || Connection.OutboundDataLength <= OutboundHighWater)
            {
                int window = Connection.LocalFlowControlWindow(stream.Id);
                int size = Math.Min(Math.Min(Math.Min(window, Connection.MaxOutboundFrameSize), MaxQueuedBytesPerStream), data.Length);
                if (size > 0 || (data.IsEmpty && endStream))
                {
                    bool last = endStream && size == data.Length;
                    Connection.SendData(stream.Id, data.Span[..size], last);
                    stream.Sending.Add(size);
                    data = data[size..];
                    sent = true;
                    if (last)
                    {
                        stream.LocalEnded = true;
                        ReleaseIfDone(stream);
                    }
                }
            }

            done = data.IsEmpty && (!endStream || stream.LocalEnded);
        }

        if (sent)
        {
            SignalWriter();
        }

        return done;
    }

    private async Task WriteSlowAsync(SessionStream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stream.Aborted);
        while (true)
        {
            // Wait before queueing while the transport is behind, so no stream adds to a full
            // queue; each turn adds at most MaxQueuedBytesPerStream, so the queue stays bounded
            // however many streams write at once and however large the peer's frames and windows.
            // This wait is the whole connection's, so it does not count against this stream's
            // minimum rate (a slow reader of the socket meets the write timeout instead).
            await WaitForTransportAsync(OutboundHighWater, waiting.Token).ConfigureAwait(false);
            if (TrySend(stream, null, ref data, endStream, checkTransport: false, out bool sent))
            {
                return;
            }

            if (!sent)
            {
                // Both windows are shut: wait for WINDOW_UPDATE (or a reset).
                H2NetMetrics.FlowControlStalls.Add(1, Role);
                await WaitOnPeerAsync(stream, stream.Window.WaitAsync(waiting.Token)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Queues a header block (final headers or trailers); with <paramref name="endStream"/>, our side of the stream ends with it.</summary>
    public void SendHeaderBlock(SessionStream stream, IReadOnlyList<HeaderField> headers, bool endStream)
    {
        lock (Sync)
        {
            ThrowIfClosed();
            QueueHeaders(stream, headers, endStream);
        }

        SignalWriter();
    }

    /// <summary>Queues a header block and notes what it did to the stream; called under <see cref="Sync"/>.</summary>
    private void QueueHeaders(SessionStream stream, IReadOnlyList<HeaderField> headers, bool endStream)
    {
        Connection.SendHeaders(stream.Id, headers, endStream);
        stream.HeadersSent = true;
        if (endStream)
        {
            stream.LocalEnded = true;
            ReleaseIfDone(stream);
        }
    }

    /// <summary>Body octets one stream may add to the outbound queue before it waits for the transport. Default 64 KiB.</summary>
    public int MaxQueuedBytesPerStream { get; init; } = 64 * 1024;

    /// <summary>Awaits the peer's flow-control window, timing the wait for the stream's minimum data rate.</summary>
    private async Task WaitOnPeerAsync(SessionStream stream, Task wait)
    {
        lock (Sync)
        {
            stream.Sending.BeginWait(Environment.TickCount64);
        }

        try
        {
            await wait.ConfigureAwait(false);
        }
        finally
        {
            lock (Sync)
            {
                stream.Sending.EndWait(Environment.TickCount64);
            }
        }
    }

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

    /// <summary>
    /// Resets a stream if it is still open, ends its body and fires its token, and forgets it;
    /// waits on it fail with <paramref name="error"/> when given.
    /// </summary>
    public void Reset(SessionStream stream, ErrorCode code, string reason = "reset by this endpoint", Exception? error = null)
    {
        bool wasOpen;
        lock (Sync)
        {
            wasOpen = Streams.Remove(stream.Id);
            if (wasOpen)
            {
                Forget(stream);
                Released();
                if (!Connection.IsClosed)
                {
                    try
                    {
                        Connection.ResetStream(stream.Id, code);
                        H2NetMetrics.Resets.Add(1, Role, SentTag);
                    }
                    catch (H2Exception)
                    {
                        // Already closed on the connection: nothing to reset.
                    }
                }
            }

            stream.Abort(code, reason, error);
            ReturnCredit(stream.Body.Abandon());
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

            _closing = true;
            if (Streams.Count == 0)
            {
                _finishWhenDrained = true;
            }
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

    /// <summary>Aborts the session when a write to the transport has taken longer than the write timeout; called by a timer.</summary>
    /// <param name="now">The current <see cref="Environment.TickCount64"/>.</param>
    public void CheckWriteTimeout(long now)
    {
        long started = Volatile.Read(ref _writeStartedAt);
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

        _writeSignal.Set();
        _drained.Pulse();
    }

    /// <summary>Registers a new stream; called under <see cref="Sync"/>.</summary>
    protected void AddStream(SessionStream stream)
    {
        Streams[stream.Id] = stream;
        _streamsChangedAt = Environment.TickCount64;
        H2NetMetrics.StreamChanged(_client, 1);
    }

    /// <summary>A stream leaves the session; called under <see cref="Sync"/>, once per stream.</summary>
    private void Forget(SessionStream stream)
    {
        _streamsChangedAt = Environment.TickCount64;
        H2NetMetrics.StreamChanged(_client, -1);
        stream.Released();
    }

    /// <summary>
    /// Whether the session has had no open stream for longer than <paramref name="timeout"/>:
    /// frames that open no stream (PING, SETTINGS) do not count as use. Called under <see cref="Sync"/>.
    /// </summary>
    protected bool IsIdle(long now, TimeSpan timeout) => Streams.Count == 0 && now - _streamsChangedAt > timeout.TotalMilliseconds;

    /// <summary>Reports the frames that moved since the last report; called under <see cref="Sync"/>.</summary>
    private void ReportFrames()
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

    /// <summary>Forgets a stream once both sides have ended; called under <see cref="Sync"/>.</summary>
    protected void ReleaseIfDone(SessionStream stream)
    {
        if (stream.LocalEnded && stream.RemoteEnded && Streams.Remove(stream.Id))
        {
            Forget(stream);
            Released();
        }
    }

    /// <summary>Returns flow-control credit for body octets nobody will read; called under <see cref="Sync"/>.</summary>
    protected void ReturnCredit(int length)
    {
        if (length > 0 && !Connection.IsClosed)
        {
            Connection.AcknowledgeReceivedData(length);
        }
    }

    /// <summary>Routes the events common to both roles; called under <see cref="Sync"/>.</summary>
    protected bool HandleCommonEvent(Event @event, List<Action> later)
    {
        switch (@event)
        {
            case DataReceived data when Streams.TryGetValue(data.StreamId, out SessionStream? stream):
                if (!stream.Body.Enqueue(data.Data, data.FlowControlledLength, out int unread))
                {
                    // Thousands of tiny DATA frames queued unread: a flood, not a body.
                    LimitTripped("body_chunks");
                    ResetLater(stream, ErrorCode.EnhanceYourCalm, later);
                }

                ReturnCredit(unread);
                return true;
            case DataReceived data:
                ReturnCredit(data.FlowControlledLength);
                return true;
            case TrailersReceived trailers when Streams.TryGetValue(trailers.StreamId, out SessionStream? stream):
                stream.Body.Complete(trailers.Headers);
                return true;
            case StreamEnded ended when Streams.TryGetValue(ended.StreamId, out SessionStream? stream):
                stream.Body.Complete(null);
                stream.RemoteEnded = true;
                ReleaseIfDone(stream);
                return true;
            case StreamReset reset when Streams.TryGetValue(reset.StreamId, out SessionStream? stream):
                Streams.Remove(reset.StreamId);
                Forget(stream);
                Released();
                bool bodyEnded = stream.Body.IsCompleteUnderLock;
                stream.Abort(reset.ErrorCode, reset.RemoteReset ? "reset by the peer" : "reset after a protocol error");
                if (!bodyEnded)
                {
                    ReturnCredit(stream.Body.Abandon());
                }

                // A body that had ended stays readable: RFC 9113 §8.1 lets a server answer before
                // the request is all sent and then reset it with NO_ERROR, and the client MUST NOT
                // discard that response; only what was still to come is lost to a reset.
                later.Add(stream.CancelToken);
                return true;
            case WindowUpdated window when window.StreamId == 0:
                WakeAllWriters();
                return true;
            case WindowUpdated window when Streams.TryGetValue(window.StreamId, out SessionStream? stream):
                stream.Window.Set();
                return true;
            case RemoteSettingsChanged changed when changed.ChangedSettings.ContainsKey(SettingCode.InitialWindowSize)
                                                    || changed.ChangedSettings.ContainsKey(SettingCode.MaxFrameSize):
                WakeAllWriters();
                return true;
            case ConnectionTerminated:
                _closing = true;
                if (Streams.Count == 0)
                {
                    _finishWhenDrained = true;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Resets a stream once the lock is released; its own method, so the closure is allocated only when used.</summary>
    private void ResetLater(SessionStream stream, ErrorCode code, List<Action> later) => later.Add(() => Reset(stream, code));

    private void Released()
    {
        StreamReleased.Pulse();
        if (_closing && Streams.Count == 0)
        {
            // The last stream of a draining connection: close once everything queued is out.
            _finishWhenDrained = true;
            _writeSignal.Set();
        }
    }

    private void WakeAllWriters()
    {
        foreach (SessionStream stream in Streams.Values)
        {
            stream.Window.Set();
        }
    }

    private void ThrowIfUnusable(SessionStream stream)
    {
        if (stream.ResetCode is ErrorCode code)
        {
            throw new IOException($"Stream {stream.Id} was reset ({code}).");
        }

        ThrowIfClosed();
    }

    /// <summary>Throws when the connection can carry no more frames; called under <see cref="Sync"/>.</summary>
    protected void ThrowIfClosed()
    {
        if (Connection.IsClosed || _readerDone)
        {
            throw new IOException("The HTTP/2 connection is closed.", _failure);
        }
    }

    /// <summary>Waits while more than <paramref name="limit"/> octets are queued for the transport.</summary>
    private ValueTask WaitForTransportAsync(long limit, CancellationToken cancellationToken)
    {
        lock (Sync)
        {
            if (Connection.OutboundDataLength <= limit || _readerDone)
            {
                return default;
            }
        }

        return new ValueTask(WaitForTransportSlowAsync(limit, cancellationToken));
    }

    private async Task WaitForTransportSlowAsync(long limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the wait before looking, so a pulse in between is not missed.
            Task drained = _drained.WaitAsync(cancellationToken);
            lock (Sync)
            {
                if (Connection.OutboundDataLength <= limit || _readerDone)
                {
                    return;
                }
            }

            await drained.ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync()
    {
        var later = new List<Action>();
        try
        {
            while (true)
            {
                // A peer that sends but does not read must not make us queue without bound.
                await WaitForTransportAsync(4 * OutboundHighWater, _shutdown.Token).ConfigureAwait(false);

                // Wait for data with no buffer (a zero-byte read), so an idle connection holds
                // none; the buffer is rented for one read and returned once its bytes are handled.
                await _transport.ReadAsync(Memory<byte>.Empty, _shutdown.Token).ConfigureAwait(false);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
                ProtocolException? error;
                try
                {
                    int read = await _transport.ReadAsync(buffer, _shutdown.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    error = Receive(buffer.AsSpan(0, read), later);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                SignalWriter();
                RunLater(later);
                AfterEvents();
                if (error is not null)
                {
                    _failure = error;
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            _failure ??= e is OperationCanceledException ? null : e;
        }
        finally
        {
            CloseStreams();
        }
    }

    /// <summary>Hands received bytes to the connection and routes its events; returns the connection error, if any.</summary>
    private ProtocolException? Receive(ReadOnlySpan<byte> received, List<Action> later)
    {
        lock (Sync)
        {
            IReadOnlyList<Event> events;
            ProtocolException? error = null;
            try
            {
                events = Connection.ReceiveData(received);
            }
            catch (ProtocolException e)
            {
                // The connection has queued its GOAWAY.
                error = e;
                events = e.Events;
                GoAwaySent();
                if (e.ErrorCode == ErrorCode.EnhanceYourCalm)
                {
                    LimitTripped("denial_of_service");
                }
            }

            for (int i = 0; i < events.Count; i++)
            {
                Event @event = events[i];
                switch (@event)
                {
                    case StreamReset reset:
                        H2NetMetrics.Resets.Add(1, Role, reset.RemoteReset ? ReceivedTag : SentTag);
                        break;
                    case ConnectionTerminated:
                        H2NetMetrics.GoAways.Add(1, Role, ReceivedTag);
                        break;
                }

                OnEvent(@event, later);
            }

            ReportFrames();

            return error;
        }
    }

    private void CloseStreams()
    {
        SessionStream[] streams;
        lock (Sync)
        {
            _readerDone = true;
            _finishWhenDrained = true;
            streams = [.. Streams.Values];
            Streams.Clear();
            foreach (SessionStream stream in streams)
            {
                stream.Abort(ErrorCode.Cancel, "the connection closed");
                Forget(stream);
            }
        }

        foreach (SessionStream stream in streams)
        {
            stream.CancelToken();
        }

        StreamReleased.Pulse();

        // Let the writer flush what is queued (a GOAWAY, say) and stop.
        _drained.Pulse();
        SignalWriter();
    }

    private async Task WriteLoopAsync()
    {
        bool gentle = false;
        try
        {
            while (true)
            {
                int wrote = await DrainAsync().ConfigureAwait(false);
                if (wrote > 0)
                {
                    _drained.Pulse();
                    continue;
                }

                bool finish;
                lock (Sync)
                {
                    finish = _finishWhenDrained && Connection.OutboundDataLength == 0;
                }

                if (finish || _shutdown.IsCancellationRequested)
                {
                    gentle = finish;
                    break;
                }

                await _writeSignal.WaitAsync().ConfigureAwait(false);

                // Abort sets the signal too.
                if (_shutdown.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            _failure ??= e is OperationCanceledException ? null : e;
        }
        finally
        {
            _drained.Pulse();
        }

        if (gentle)
        {
            // Everything is out: end our side and give the peer a moment to end its own, so data
            // it has not read yet is not lost to a reset.
            await HalfClose.SendEndAsync(_transport).ConfigureAwait(false);
            try
            {
                _shutdown.CancelAfter(s_lingerTimeout);
            }
            catch (ObjectDisposedException)
            {
            }
        }
        else
        {
            Abort();
        }
    }

    /// <summary>Writes everything queued, in batches; returns how many octets were written.</summary>
    /// <remarks>The batching buffer is rented only while there is something to gather, so an idle connection holds none.</remarks>
    private async Task<int> DrainAsync()
    {
        int total = 0;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> direct = default;
                int gathered = 0;
                lock (Sync)
                {
                    ReportFrames();
                    ReadOnlyMemory<byte> next = Connection.PeekDataToSend();
                    if (next.IsEmpty)
                    {
                        break;
                    }

                    if (next.Length >= DirectWriteThreshold)
                    {
                        direct = next;
                    }
                    else
                    {
                        buffer ??= ArrayPool<byte>.Shared.Rent(WriteBufferSize);
                        while (!next.IsEmpty && gathered < buffer.Length)
                        {
                            int take = Math.Min(next.Length, buffer.Length - gathered);
                            next.Span[..take].CopyTo(buffer.AsSpan(gathered));
                            Connection.AdvanceDataToSend(take);
                            gathered += take;
                            next = Connection.PeekDataToSend();
                            if (next.Length >= DirectWriteThreshold)
                            {
                                break;
                            }
                        }
                    }
                }

                // A peer that stops reading cannot hold the connection forever: CheckWriteTimeout
                // aborts the session when this write takes too long.
                Volatile.Write(ref _writeStartedAt, Environment.TickCount64);
                if (!direct.IsEmpty)
                {
                    // The queue keeps these octets unchanged until they are advanced past.
                    await _transport.WriteAsync(direct, _shutdown.Token).ConfigureAwait(false);
                    lock (Sync)
                    {
                        Connection.AdvanceDataToSend(direct.Length);
                    }

                    total += direct.Length;
                }
                else
                {
                    await _transport.WriteAsync(buffer.AsMemory(0, gathered), _shutdown.Token).ConfigureAwait(false);
                    total += gathered;
                }

                Volatile.Write(ref _writeStartedAt, 0);
                _drained.Pulse();
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        if (total > 0)
        {
            await _transport.FlushAsync(_shutdown.Token).ConfigureAwait(false);
        }

        return total;
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

    private static void RunLater(List<Action> later)
    {
        foreach (Action action in later)
        {
            action();
        }

        later.Clear();
    }
}
