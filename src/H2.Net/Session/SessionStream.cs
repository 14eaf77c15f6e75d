namespace H2.Net.Session;

/// <summary>One stream as the session sees it: the body coming in, the window going out, and its cancellation.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source lives as long as the stream; the application may hold its token.")]
internal class SessionStream
{
    private readonly CancellationTokenSource _aborted = new();

    public SessionStream(H2Session session, int id)
    {
        Session = session;
        Id = id;
        Body = new H2BodyStream(session, id);
    }

    public H2Session Session { get; }

    public int Id { get; }

    public H2BodyStream Body { get; }

    /// <summary>How fast our body goes out while the application waits on the peer (window or transport).</summary>
    public DataRateMeter Sending;

    /// <summary>Set when the peer grants window to this stream or the connection.</summary>
    public AsyncSignal Window { get; } = new();

    /// <summary>Fires when the stream is reset, refused, or the connection is lost.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Why the stream ended early, if it did.</summary>
    public ErrorCode? ResetCode { get; private set; }

    /// <summary>Whether our (final or informational) header block has been queued; guarded by the session lock.</summary>
    public bool HeadersSent { get; set; }

    /// <summary>Whether our side has sent END_STREAM (or the stream was reset).</summary>
    public bool LocalEnded { get; set; }

    /// <summary>Whether the peer's side has ended (END_STREAM or reset).</summary>
    public bool RemoteEnded { get; set; }

    /// <summary>
    /// Ends the stream early; called under the session lock, with continuations run later. Waits on
    /// the stream fail with <paramref name="error"/>, or an <see cref="IOException"/> that says why.
    /// </summary>
    public virtual void Abort(ErrorCode code, string reason, Exception? error = null)
    {
        ResetCode ??= code;
        LocalEnded = true;
        RemoteEnded = true;
        Body.Fail(error ?? new IOException($"Stream {Id} was reset ({code}): {reason}"));
        Window.Set();
    }

    /// <summary>Called once when the session forgets the stream; called under the session lock.</summary>
    public virtual void Released()
    {
    }

    /// <summary>
    /// Cancels the token. Its callbacks are application code, so they run on the thread pool,
    /// never on the session's reader loop.
    /// </summary>
    public void CancelToken() => ThreadPool.UnsafeQueueUserWorkItem(
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
        _aborted,
        preferLocal: false);
}
