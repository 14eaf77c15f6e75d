using H2.Hpack;

namespace H2.Net.Session;

/// <summary>
/// The sending side of a session's streams: header blocks and body data go into the connection
/// as its flow-control windows allow, the writer being woken to take them out. A write that fits
/// takes one step under the lock; one that does not waits for WINDOW_UPDATE or for the transport.
/// </summary>
internal abstract partial class H2Session
{
    // The final header block being encoded, shown without copying; guarded by Sync.
    private readonly MessageHeadView _headView = new();

    // Who queues body data next while the transport is behind (RFC 9218 order), and whether a
    // stream holds the turn now; guarded by Sync.
    private readonly WriteTurns _turns = new();
    private bool _turnOutstanding;

    /// <summary>
    /// Queued octets above which body data waits for its turn: small enough that data queued
    /// later but more urgent goes out soon after, large enough to keep the transport busy.
    /// </summary>
    private long TurnThreshold => Math.Min(OutboundHighWater, 2L * MaxQueuedBytesPerStream);
    /// <summary>
    /// Sends body data on a stream as the windows allow, waiting for WINDOW_UPDATE when they are
    /// shut and for the transport when too much is queued. <paramref name="head"/>, when given and
    /// the final header block has not gone yet, is sent first, in the same step as the first data
    /// (a whole small response takes one lock). With <paramref name="endAtContentLength"/>, the
    /// write that completes a declared content-length ends the stream with its last DATA frame.
    /// </summary>
    /// <returns>Whether this write ended our side of the stream.</returns>
    public ValueTask<bool> WriteAsync(SessionStream stream, IMessageHead? head, ReadOnlyMemory<byte> data, bool endStream, bool endAtContentLength, CancellationToken cancellationToken)
    {
        // Most writes fit at once: no wait, no token, no state machine.
        bool done;
        try
        {
            done = TrySend(stream, head, ref data, ref endStream, endAtContentLength, checkTransport: true, out _, out _);
        }
        catch (Exception e)
        {
            // As an async method would: the caller sees the failure when it awaits.
            return ValueTask.FromException<bool>(e);
        }

        return done ? new ValueTask<bool>(endStream) : new ValueTask<bool>(WriteSlowAsync(stream, data, endStream, cancellationToken));
    }

    /// <summary>Sends body data on a stream; see the overload with a message head.</summary>
    public ValueTask WriteAsync(SessionStream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        ValueTask<bool> write = WriteAsync(stream, null, data, endStream, endAtContentLength: false, cancellationToken);
        return write.IsCompletedSuccessfully ? default : new ValueTask(write.AsTask());
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

    /// <summary>Queues the final header block built by <paramref name="head"/> unless it has gone already; returns whether it went now.</summary>
    public bool SendHead(SessionStream stream, IMessageHead head, bool endStream)
    {
        lock (Sync)
        {
            ThrowIfUnusable(stream);
            if (FinalHeadersSent(stream))
            {
                return false;
            }

            QueueHead(stream, head, endStream);
        }

        SignalWriter();
        return true;
    }

    /// <summary>Whether the stream's final header block has been queued, or the stream can take none any more; called under <see cref="Sync"/>.</summary>
    public bool FinalHeadersSent(SessionStream stream) => !Connection.TryGetStream(stream.Id, out StreamInfo info) || info.FinalHeadersSent;

    /// <summary>Whether our side of the stream has ended (END_STREAM queued, or the stream is gone).</summary>
    public bool LocallyEnded(SessionStream stream)
    {
        lock (Sync)
        {
            return !Connection.TryGetStream(stream.Id, out StreamInfo info) || info.LocalEnded;
        }
    }

    /// <summary>Whether the stream's final header block has been queued, or the stream can take none any more.</summary>
    public bool HasStarted(SessionStream stream)
    {
        lock (Sync)
        {
            return FinalHeadersSent(stream);
        }
    }

    /// <summary>
    /// Queues what the windows allow in one step under the lock; returns whether the write is
    /// complete. With <paramref name="checkTransport"/>, queues no data while the transport is behind.
    /// </summary>
    private bool TrySend(SessionStream stream, IMessageHead? head, ref ReadOnlyMemory<byte> data, ref bool endStream, bool endAtContentLength, bool checkTransport, out bool sent, out AsyncSignal? window)
    {
        sent = false;
        window = null;
        bool ended = false;
        lock (Sync)
        {
            ThrowIfUnusable(stream);
            if (!Connection.TryGetStream(stream.Id, out StreamInfo info) || info.LocalEnded)
            {
                // Ending what has ended is nothing to do (a handler that completes twice, say).
                return data.IsEmpty && endStream
                    ? true
                    : throw new InvalidOperationException($"Our side of stream {stream.Id} has ended: nothing more can be sent on it.");
            }

            if (head is not null && !info.FinalHeadersSent)
            {
                bool headersEnd = endStream && data.IsEmpty;
                QueueHead(stream, head, headersEnd);
                sent = true;
                ended = headersEnd;
                if (endAtContentLength && !ended)
                {
                    // The content-length the headers declared is known now.
                    Connection.TryGetStream(stream.Id, out info);
                }
            }

            if (endAtContentLength && !endStream && info.OutboundRemainingLength == data.Length)
            {
                endStream = true;
            }

            if (!ended && (!checkTransport || (Connection.OutboundDataLength <= TurnThreshold && !_turns.AnyWaitingAtOrAbove(stream.Priority.Urgency))))
            {
                int allowed = Connection.LocalFlowControlWindow(stream.Id);
                int size = Math.Min(Math.Min(Math.Min(allowed, Connection.MaxOutboundFrameSize), MaxQueuedBytesPerStream), data.Length);
                if (size > 0 || (data.IsEmpty && endStream))
                {
                    bool last = endStream && size == data.Length;
                    Connection.SendData(stream.Id, data.Span[..size], last);
                    stream.Sending.Add(size);
                    data = data[size..];
                    sent = true;
                    if (last)
                    {
                        ended = true;
                        ReleaseIfClosed(stream);
                    }
                }
                else
                {
                    // The windows are shut: the signal is made here, under the lock, so the grant
                    // that opens them (which sets it) cannot come between this look and the wait.
                    window = stream.WindowSignal;
                }
            }
        }

        if (sent)
        {
            SignalWriter();
        }

        return data.IsEmpty && (!endStream || ended);
    }

    private async Task<bool> WriteSlowAsync(SessionStream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stream.Aborted);
        try
        {
            return await WriteWhenAllowedAsync(stream, data, endStream, waiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up part-way: the message cannot be finished, so the stream goes
            // (CANCEL), and the caller sees its own token, as HttpClient's callers do.
            var cancelled = new OperationCanceledException(cancellationToken);
            Reset(stream, ErrorCode.Cancel, cancelled);
            throw cancelled;
        }
        catch (OperationCanceledException) when (stream.Failure is not null)
        {
            throw stream.Failure;
        }
    }

    private async Task<bool> WriteWhenAllowedAsync(SessionStream stream, ReadOnlyMemory<byte> data, bool endStream, CancellationToken waiting)
    {
        while (true)
        {
            // Wait before queueing while the transport is behind, so no stream adds to a full
            // queue; each turn adds at most MaxQueuedBytesPerStream, so the queue stays bounded
            // however many streams write at once and however large the peer's frames and windows.
            // This wait is the whole connection's, so it does not count against this stream's
            // minimum rate (a slow reader of the socket meets the write timeout instead).
            bool turn = await WaitForTurnAsync(stream, waiting).ConfigureAwait(false);
            bool done;
            bool sent;
            AsyncSignal? window;
            try
            {
                done = TrySend(stream, null, ref data, ref endStream, endAtContentLength: false, checkTransport: false, out sent, out window);
            }
            finally
            {
                if (turn)
                {
                    TurnDone();
                }
            }

            if (done)
            {
                return endStream;
            }

            if (!sent && window is not null)
            {
                // Both windows are shut: wait for WINDOW_UPDATE (or a reset).
                H2NetMetrics.FlowControlStalls.Add(1, Role);
                await WaitOnPeerAsync(stream, window!.WaitAsync(waiting)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Waits, while the transport is behind or more urgent data waits, for this stream's turn to
    /// queue a chunk (RFC 9218 order); returns whether it holds a turn, to be given back with
    /// <see cref="TurnDone"/>. This wait is the whole connection's, so it does not count against
    /// the stream's minimum rate (a slow reader of the socket meets the write timeout instead).
    /// </summary>
    private async ValueTask<bool> WaitForTurnAsync(SessionStream stream, CancellationToken cancellationToken)
    {
        Task turn;
        lock (Sync)
        {
            if (IsTransportClosed || (!_turnOutstanding && Connection.OutboundDataLength <= TurnThreshold && !_turns.AnyWaitingAtOrAbove(stream.Priority.Urgency)))
            {
                return false;
            }

            turn = _turns.Enqueue(stream, stream.Priority, cancellationToken);
        }

        try
        {
            await turn.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            // A turn given as the wait was cancelled is passed on (TurnDone grants the next).
            lock (Sync)
            {
                GrantTurns();
            }

            throw;
        }
    }

    /// <summary>The stream holding the turn has queued its chunk: the next in line may go.</summary>
    private void TurnDone()
    {
        lock (Sync)
        {
            _turnOutstanding = false;
            GrantTurns();
        }
    }

    /// <summary>
    /// Gives the next turn while the queue has room and no turn is out, one at a time so that the
    /// order holds; called under <see cref="Sync"/> (by the writer after each write, too).
    /// </summary>
    internal void GrantTurns()
    {
        if (IsTransportClosed)
        {
            _turns.GrantAll();
            return;
        }

        if (!_turnOutstanding && _turns.Count > 0 && Connection.OutboundDataLength <= TurnThreshold)
        {
            _turnOutstanding = _turns.GrantNext();
        }
    }

    /// <summary>Queues the final header block <paramref name="head"/> builds; called under <see cref="Sync"/>.</summary>
    private void QueueHead(SessionStream stream, IMessageHead head, bool endStream)
    {
        try
        {
            QueueHeaders(stream, head.Build(_headView), endStream);
        }
        finally
        {
            _headView.Clear();
        }
    }

    /// <summary>Queues a header block; called under <see cref="Sync"/>.</summary>
    private void QueueHeaders(SessionStream stream, IReadOnlyList<HeaderField> headers, bool endStream)
    {
        SendHeaders(stream.Id, headers, endStream);
        if (endStream)
        {
            ReleaseIfClosed(stream);
        }
    }

    /// <summary>
    /// Sends a header block on the connection; a field HTTP/2 forbids is the caller's mistake, an
    /// <see cref="ArgumentException"/> naming the field and the rule. Called under <see cref="Sync"/>.
    /// </summary>
    protected void SendHeaders(int streamId, IReadOnlyList<HeaderField> headers, bool endStream)
    {
        try
        {
            Connection.SendHeaders(streamId, headers, endStream);
        }
        catch (InvalidHeaderException e)
        {
            throw new ArgumentException(e.Message, nameof(headers), e);
        }
    }

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

    private void ThrowIfUnusable(SessionStream stream)
    {
        if (stream.Failure is Exception failure)
        {
            throw failure;
        }

        ThrowIfClosed();
    }
}
