namespace H2.Net.Session;

/// <summary>
/// One stream's record in the I/O layer, attached to the connection's own stream: the body coming
/// in, the waits going out, and its cancellation. What the stream's state is — which sides have
/// ended, which header blocks have passed — the connection says; this record keeps only what the
/// connection cannot know. Its parts are made when first needed: most requests have no body to
/// queue, no writer that waits for window, and no handler that asks for the abort token.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source lives as long as the stream; the application may hold its token.")]
internal class SessionStream(H2Session session, int id)
{
    private CancellationTokenSource? _aborted;
    private bool _tokenCancelled;
    private H2BodyStream? _body;
    private AsyncSignal? _window;

    public H2Session Session { get; } = session;

    public int Id { get; private set; } = id;

    /// <summary>The body the peer sends, made with the first DATA or the first look.</summary>
    public H2BodyStream Body => Volatile.Read(ref _body) ?? CreateBody();

    /// <summary>The body, if anything has made it yet; guarded by the session lock.</summary>
    public H2BodyStream? BodyIfCreated => _body;

    /// <summary>
    /// Whether the peer asked for 100 (Continue) before sending the body and has not had it: the
    /// body's first read that finds nothing sends it. Guarded by the session lock.
    /// </summary>
    public bool ContinueExpected { get; set; }

    /// <summary>
    /// The order of a stream whose peer signalled no priority: urgency 3, sharing the connection
    /// in turn with the others (fair round-robin), rather than RFC 9218's one-after-another, which
    /// a peer has to ask for.
    /// </summary>
    public static readonly H2Priority Unsignalled = new(H2Priority.DefaultUrgency, Incremental: true);

    /// <summary>The stream's RFC 9218 priority: the order in which its data goes when the transport is behind. Guarded by the session lock.</summary>
    public H2Priority Priority { get; set; } = Unsignalled;

    /// <summary>How fast our body goes out while the application waits on the peer (window or transport).</summary>
    public DataRateMeter Sending;

    /// <summary>Fires when the stream is reset, refused, or the connection is lost.</summary>
    public CancellationToken Aborted
    {
        get
        {
            if (Volatile.Read(ref _aborted) is { } source)
            {
                return source.Token;
            }

            lock (Session.Sync)
            {
                if (_tokenCancelled)
                {
                    return new CancellationToken(canceled: true);
                }

                _aborted ??= new CancellationTokenSource();
                return _aborted.Token;
            }
        }
    }

    /// <summary>Why the stream ended early, if it did.</summary>
    public ErrorCode? ResetCode { get; private set; }

    /// <summary>What waits and sends on the stream fail with once it has ended early.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Whether the session is done with the stream (it closed, or was reset); guarded by the session lock.</summary>
    public bool Forgotten { get; set; }

    /// <summary>Set when the peer grants window to this stream or the connection, or the stream ends.</summary>
    /// <remarks>Made under the session lock by a writer that found the windows shut, so no grant after that look is missed.</remarks>
    public AsyncSignal WindowSignal => _window ??= new AsyncSignal();

    /// <summary>Wakes a writer waiting for window, if there is one; called under the session lock.</summary>
    public void WindowChanged() => _window?.Set();

    /// <summary>
    /// Ends the stream early; called under the session lock, with continuations run later. Waits on
    /// the stream fail with <paramref name="error"/> (the first given).
    /// </summary>
    public virtual void Abort(ErrorCode code, Exception error)
    {
        ResetCode ??= code;
        Failure ??= error;
        _body?.Fail(Failure);
        WindowChanged();
    }

    /// <summary>
    /// Whether nothing outside the session can still refer to this record: no body was handed out
    /// and the stream ended without a failure (so its token never fired). Called under the session lock.
    /// </summary>
    public bool HandedOutNothing => _body is null && Failure is null;

    /// <summary>Makes the record new for another stream (the server reuses the records of finished requests); called under the session lock.</summary>
    protected void Renew(int id)
    {
        Id = id;

        // As Kestrel does for its request-aborted token: a source that never fired serves again.
        if (_aborted is not null && !_aborted.TryReset())
        {
            _aborted = null;
        }

        _tokenCancelled = false;
        _window = null;
        ContinueExpected = false;
        Priority = Unsignalled;
        Sending = default;
        ResetCode = null;
        Forgotten = false;
    }

    /// <summary>Drops what the body has queued and returns its credit (0 without a body); called under the session lock.</summary>
    public int AbandonBody() => _body?.Abandon() ?? 0;

    /// <summary>Called once when the session forgets the stream; called under the session lock.</summary>
    public virtual void Released()
    {
    }

    /// <summary>
    /// Cancels the token, if anyone has asked for it (a later ask gets a cancelled one). Its
    /// callbacks are application code, so they run on the thread pool, never on the session's
    /// reader loop.
    /// </summary>
    public void CancelToken()
    {
        CancellationTokenSource? source;
        lock (Session.Sync)
        {
            _tokenCancelled = true;
            source = _aborted;
        }

        if (source is null)
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(
            static source =>
            {
                try
                {
                    source.Cancel();
                }
                catch (AggregateException)
                {
                    // A callback registered by the application threw; the stream is gone either way.
                }
            },
            source,
            preferLocal: false);
    }

    /// <summary>
    /// Makes the body at its first need. A body made after the peer's side ended received no DATA
    /// (DATA makes it), so it starts complete; after a reset, failed.
    /// </summary>
    private H2BodyStream CreateBody()
    {
        lock (Session.Sync)
        {
            if (_body is null)
            {
                var body = new H2BodyStream(this);
                if (Failure is not null)
                {
                    body.Fail(Failure);
                }
                else if (!Session.Connection.TryGetStream(Id, out StreamInfo info) || info.RemoteEnded)
                {
                    body.Complete(null);
                }

                Volatile.Write(ref _body, body);
            }

            return _body;
        }
    }
}
