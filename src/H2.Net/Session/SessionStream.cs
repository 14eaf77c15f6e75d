namespace H2.Net.Session;

/// <summary>
/// One stream's record in the I/O layer, attached to the connection's own stream: the body coming
/// in, the waits going out, and its cancellation. What the stream's state is — which sides have
/// ended, which header blocks have passed — the connection says; this record keeps only what the
/// connection cannot know.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token source lives as long as the stream; the application may hold its token.")]
internal class SessionStream
{
    private readonly CancellationTokenSource _aborted = new();

    public SessionStream(H2Session session, int id)
    {
        Session = session;
        Id = id;
        Body = new H2BodyStream(this);
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

    /// <summary>What waits and sends on the stream fail with once it has ended early.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Whether the session is done with the stream (it closed, or was reset); guarded by the session lock.</summary>
    public bool Forgotten { get; set; }

    /// <summary>
    /// Ends the stream early; called under the session lock, with continuations run later. Waits on
    /// the stream fail with <paramref name="error"/> (the first given).
    /// </summary>
    public virtual void Abort(ErrorCode code, Exception error)
    {
        ResetCode ??= code;
        Failure ??= error;
        Body.Fail(Failure);
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
