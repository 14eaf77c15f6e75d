using H2.Hpack;
using H2.Net.Session;

namespace H2.Net;

/// <summary>
/// The body of a received request or response, read as a <see cref="Stream"/>. DATA arrives into
/// a queue bounded by the stream's flow-control window; as the reader consumes it, the window is
/// given back to the peer, so a slow reader stalls only its own stream.
/// </summary>
public sealed class H2BodyStream : Stream
{
    private readonly H2Session _session;
    private readonly int _streamId;
    // Created with the first DATA: most requests have no body.
    private Queue<(ReadOnlyMemory<byte> Data, int FlowControlled)>? _chunks;
    private readonly AsyncSignal _available = new();
    private int _offset;
    private bool _completed;
    private bool _abandoned;
    private Exception? _error;

    internal H2BodyStream(H2Session session, int streamId)
    {
        _session = session;
        _streamId = streamId;
    }

    /// <summary>
    /// Whether the peer asked for 100 (Continue) before sending the body and has not had it: the
    /// first read that finds nothing to read sends it. Guarded by the session lock.
    /// </summary>
    internal bool ContinueExpected { get; set; }

    /// <summary>The trailer fields, once the body has been read to its end (<see langword="null"/> if none were sent).</summary>
    public IReadOnlyList<HeaderField>? Trailers { get; private set; }

    /// <summary>Whether the reader waits for the body and it arrives slower than <paramref name="rate"/>; called under the session lock.</summary>
    internal bool IsArrivingSlowerThan(MinDataRate rate, long now) => _receiving.IsBelow(rate, now);

    // How fast the body arrives while the reader waits for it; guarded by the session lock.
    private DataRateMeter _receiving;

    /// <summary>Whether the whole body has arrived (END_STREAM), read or not.</summary>
    public bool IsComplete
    {
        get
        {
            lock (_session.Sync)
            {
                return _completed;
            }
        }
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        bool sendContinue = false;
        while (true)
        {
            int read = 0;
            int consumed = 0;
            lock (_session.Sync)
            {
                while (_chunks is { Count: > 0 } && read < buffer.Length)
                {
                    (ReadOnlyMemory<byte> data, int flowControlled) = _chunks.Peek();
                    int take = Math.Min(data.Length - _offset, buffer.Length - read);
                    data.Span.Slice(_offset, take).CopyTo(buffer.Span[read..]);
                    read += take;
                    _offset += take;
                    if (_offset == data.Length)
                    {
                        _chunks.Dequeue();
                        _offset = 0;
                        consumed += flowControlled;
                    }
                }

                if (read == 0 && consumed == 0)
                {
                    if (_error is not null)
                    {
                        throw new IOException(_error.Message, _error);
                    }

                    if (_completed)
                    {
                        return 0;
                    }

                    sendContinue = ContinueExpected;
                    ContinueExpected = false;
                    _receiving.BeginWait(Environment.TickCount64);
                }
            }

            if (sendContinue)
            {
                // RFC 9110 §10.1.1: the client waits for 100 (Continue) before it sends the body.
                sendContinue = false;
                _session.SendContinue(_streamId);
            }

            if (consumed > 0)
            {
                _session.Acknowledge(_streamId, consumed);
            }

            if (read > 0)
            {
                return read;
            }

            if (consumed == 0)
            {
                try
                {
                    await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (_session.Sync)
                    {
                        _receiving.EndWait(Environment.TickCount64);
                    }
                }
            }
        }
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Reads the rest of the body into memory.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining octets.</returns>
    public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        using var memory = new MemoryStream();
        await CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
        return memory.ToArray();
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // A body this fragmented is a flood of tiny DATA frames, not a transfer.
    private const int MaxQueuedChunks = 4096;

    /// <summary>
    /// Queues received DATA; called under the session lock. Returns <see langword="false"/> when too
    /// many chunks wait unread. <paramref name="returnNow"/> is credit to give back at once.
    /// </summary>
    internal bool Enqueue(ReadOnlyMemory<byte> data, int flowControlled, out int returnNow)
    {
        returnNow = 0;
        if (_abandoned || data.IsEmpty)
        {
            // Nobody will read it, or there is nothing to read (padding alone): hand the credit straight back.
            returnNow = flowControlled;
            return true;
        }

        _chunks ??= new Queue<(ReadOnlyMemory<byte> Data, int FlowControlled)>();
        if (_chunks.Count >= MaxQueuedChunks)
        {
            returnNow = flowControlled;
            return false;
        }

        _chunks.Enqueue((data, flowControlled));
        _receiving.Add(data.Length);
        _available.Set();
        return true;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_abandoned)
        {
            _session.BodyDisposed(this, _streamId);
        }

        base.Dispose(disposing);
    }

    /// <summary>Marks the end of the body; called under the session lock.</summary>
    internal void Complete(IReadOnlyList<HeaderField>? trailers)
    {
        Trailers ??= trailers;
        _completed = true;
        _available.Set();
    }

    /// <summary>Ends the body with an error (reset, lost connection); called under the session lock.</summary>
    internal void Fail(Exception error)
    {
        if (!_completed)
        {
            _error ??= error;
        }

        _available.Set();
    }

    /// <summary>The reader is gone: drop what is queued and return its credit; called under the session lock.</summary>
    internal int Abandon()
    {
        _abandoned = true;
        int credit = 0;
        while (_chunks is { Count: > 0 })
        {
            credit += _chunks.Dequeue().FlowControlled;
        }

        _offset = 0;
        return credit;
    }
}
