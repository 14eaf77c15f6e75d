using System.Buffers;

namespace H2.Net.Session;

/// <summary>
/// The writing loop of one session: drains what the connection has queued to the transport, in
/// batches, and wakes those who wait for the queue to shrink. It sends nothing of its own
/// choosing: what goes out, and in which order, was decided when it was queued.
/// </summary>
internal sealed class SessionWriter
{
    private const int WriteBufferSize = 64 * 1024;

    // Bodies of at least this size are written to the transport straight from the queue.
    private const int DirectWriteThreshold = 16 * 1024;

    private readonly H2Session _session;
    private readonly Stream _transport;
    private readonly CancellationToken _shutdown;
    private readonly WakeSignal _signal = new();
    private readonly AsyncBroadcast _drained = new();

    // When the write in progress began (Environment.TickCount64), or 0 between writes; the
    // session's timer compares it with the write timeout, so a write costs no timer of its own.
    private long _writeStartedAt;

    public SessionWriter(H2Session session, Stream transport, CancellationToken shutdown)
    {
        _session = session;
        _transport = transport;
        _shutdown = shutdown;
    }

    /// <summary>When the write under way began, or 0.</summary>
    public long WriteStartedAt => Volatile.Read(ref _writeStartedAt);

    /// <summary>Wakes the loop: something was queued, or the session is ending.</summary>
    public void Signal() => _signal.Set();

    /// <summary>Wakes those waiting for the queue to shrink (the transport closed, say).</summary>
    public void PulseDrained() => _drained.Pulse();

    /// <summary>
    /// Runs until the session has nothing more to send and may finish (returns <see langword="true"/>),
    /// or until it is aborted or the transport fails (returns <see langword="false"/>).
    /// </summary>
    public async Task<bool> RunAsync()
    {
        try
        {
            while (true)
            {
                if (await DrainAsync().ConfigureAwait(false) > 0)
                {
                    _drained.Pulse();
                    continue;
                }

                bool finish;
                lock (_session.Sync)
                {
                    finish = _session.MayFinish && _session.Connection.OutboundDataLength == 0;
                }

                if (finish || _shutdown.IsCancellationRequested)
                {
                    return finish;
                }

                await _signal.WaitAsync().ConfigureAwait(false);

                // Abort sets the signal too.
                if (_shutdown.IsCancellationRequested)
                {
                    return false;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            _session.Failed(e);
            return false;
        }
        finally
        {
            _drained.Pulse();
        }
    }

    /// <summary>Waits while more than <paramref name="limit"/> octets are queued for the transport (or until it closes).</summary>
    public ValueTask WaitForTransportAsync(long limit, CancellationToken cancellationToken)
    {
        lock (_session.Sync)
        {
            if (_session.Connection.OutboundDataLength <= limit || _session.IsTransportClosed)
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
            lock (_session.Sync)
            {
                if (_session.Connection.OutboundDataLength <= limit || _session.IsTransportClosed)
                {
                    return;
                }
            }

            await drained.ConfigureAwait(false);
        }
    }

    /// <summary>Writes everything queued, in batches; returns how many octets were written.</summary>
    /// <remarks>The batching buffer is rented only while there is something to gather, so an idle connection holds none.</remarks>
    private async Task<int> DrainAsync()
    {
        H2Connection connection = _session.Connection;
        int total = 0;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> direct = default;
                int gathered = 0;
                lock (_session.Sync)
                {
                    _session.ReportFrames();
                    ReadOnlyMemory<byte> next = connection.PeekDataToSend();
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
                            connection.AdvanceDataToSend(take);
                            gathered += take;
                            next = connection.PeekDataToSend();
                            if (next.Length >= DirectWriteThreshold)
                            {
                                break;
                            }
                        }
                    }
                }

                // A peer that stops reading cannot hold the connection forever: the session's
                // timer aborts it when this write takes too long.
                Volatile.Write(ref _writeStartedAt, Environment.TickCount64);
                if (!direct.IsEmpty)
                {
                    // The queue keeps these octets unchanged until they are advanced past.
                    await _transport.WriteAsync(direct, _shutdown).ConfigureAwait(false);
                    lock (_session.Sync)
                    {
                        connection.AdvanceDataToSend(direct.Length);
                    }

                    total += direct.Length;
                }
                else
                {
                    await _transport.WriteAsync(buffer.AsMemory(0, gathered), _shutdown).ConfigureAwait(false);
                    total += gathered;
                }

                Volatile.Write(ref _writeStartedAt, 0);
                _drained.Pulse();
                lock (_session.Sync)
                {
                    _session.GrantTurns();
                }
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
            await _transport.FlushAsync(_shutdown).ConfigureAwait(false);
        }

        return total;
    }
}
