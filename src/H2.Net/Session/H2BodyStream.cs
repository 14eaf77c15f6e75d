using H2.Hpack;
using H2.Net.Session;

namespace H2.Net;

/// <summary>
/// The body of a received request or response, read as a <see cref="Stream"/>. DATA arrives into
/// a queue bounded by the stream's flow-control window; as the reader consumes it, the window is
/// given back to the peer, so a slow reader stalls only its own stream.
/// </summary>
public sealed partial class H2BodyStream : Stream
{
    private readonly H2Session _session;
    private readonly SessionStream _owner;
    private readonly int _streamId;
    // Created with the first DATA: most requests have no body.
    private Queue<(ReadOnlyMemory<byte> Data, int FlowControlled)>? _chunks;
    private readonly AsyncSignal _available = new();
    private int _offset;
    private bool _completed;
    private bool _abandoned;
    private Exception? _error;

    internal H2BodyStream(SessionStream owner)
    {
        _owner = owner;
        _session = owner.Session;
        _streamId = owner.Id;
    }

    /// <summary>The trailer fields, once the body has been read to its end (<see langword="null"/> if none were sent).</summary>
    public IReadOnlyList<HeaderField>? Trailers { get; private set; }

    /// <summary>How long the reader has waited for the body without a break, in milliseconds; called under the session lock.</summary>
    internal long WaitingFor(long now) => _receiving.WaitingFor(now);

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

    /// <summary>Whether the whole body has arrived; called under the session lock.</summary>
    internal bool IsCompleteUnderLock => _completed;

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

        while (true)
        {
            int read = 0;
            int consumed = 0;
            bool sendContinue = false;
            lock (_session.Sync)
            {
                while (read < buffer.Length && PeekChunk() is (ReadOnlyMemory<byte> data, int flowControlled))
                {
                    int take = Math.Min(data.Length - _offset, buffer.Length - read);
                    data.Span.Slice(_offset, take).CopyTo(buffer.Span[read..]);
                    read += take;
                    _offset += take;
                    if (_offset == data.Length)
                    {
                        consumed += DequeueChunk();
                    }
                }

                if (read == 0 && consumed == 0 && IsAtEnd(out sendContinue))
                {
                    return 0;
                }
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
                await WaitForDataAsync(sendContinue, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Copies the rest of the body to <paramref name="destination"/> chunk by chunk as it arrives,
    /// writing the received chunks themselves: no copy buffer is rented, so a handler waiting to
    /// copy a body (an echo, a proxy) holds none.
    /// </summary>
    /// <param name="destination">Where the body goes.</param>
    /// <param name="bufferSize">Not used: chunks are written as they were received.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes at the end of the body.</returns>
    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (true)
        {
            ReadOnlyMemory<byte> chunk = default;
            int consumed = 0;
            bool sendContinue = false;
            lock (_session.Sync)
            {
                if (PeekChunk() is (ReadOnlyMemory<byte> data, _))
                {
                    // A chunk is not reused once taken off the queue, so it can be handed on as it is.
                    chunk = data[_offset..];
                    consumed = DequeueChunk();
                }
                else if (IsAtEnd(out sendContinue))
                {
                    return;
                }
            }

            if (chunk.IsEmpty)
            {
                await WaitForDataAsync(sendContinue, cancellationToken).ConfigureAwait(false);
                continue;
            }

            _session.Acknowledge(_streamId, consumed);
            await destination.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chunk at the head of the queue (the gathered small payloads last), or null; called under the session lock.</summary>
    private (ReadOnlyMemory<byte> Data, int FlowControlled)? PeekChunk()
    {
        if (_chunks is not { Count: > 0 })
        {
            if (_tailLength == 0)
            {
                return null;
            }

            FlushTail();
        }

        return _chunks!.Peek();
    }

    /// <summary>Takes the head chunk off the queue; returns its flow-controlled octets. Called under the session lock.</summary>
    private int DequeueChunk()
    {
        _offset = 0;
        return _chunks!.Dequeue().FlowControlled;
    }

    /// <summary>
    /// With nothing queued: throws the body's error, or returns whether it has ended; if not, the
    /// wait for the peer begins (and <paramref name="sendContinue"/> says whether the peer first
    /// needs 100 (Continue)). Called under the session lock.
    /// </summary>
    private bool IsAtEnd(out bool sendContinue)
    {
        sendContinue = false;
        if (_error is not null)
        {
            // Failures that are already what a reader catches keep their type (H2StreamException,
            // H2ConnectionException, OperationCanceledException); others, a timeout say, come
            // wrapped in an IOException as a stream's reader expects.
            throw _error is IOException or OperationCanceledException ? _error : new IOException(_error.Message, _error);
        }

        if (_completed)
        {
            return true;
        }

        sendContinue = _owner.ContinueExpected;
        _owner.ContinueExpected = false;
        _receiving.BeginWait(Environment.TickCount64);
        return false;
    }

    /// <summary>Waits for DATA, the end or an error, timing the wait for the minimum data rate.</summary>
    private async ValueTask WaitForDataAsync(bool sendContinue, CancellationToken cancellationToken)
    {
        if (sendContinue)
        {
            // RFC 9110 §10.1.1: the client waits for 100 (Continue) before it sends the body.
            _session.SendContinue(_streamId);
        }

        try
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw _session.ReadCancelled(_owner, cancellationToken);
        }
        finally
        {
            lock (_session.Sync)
            {
                _receiving.EndWait(Environment.TickCount64);
            }
        }
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Reads the rest of the body into memory, refusing one larger than <paramref name="maxLength"/>
    /// octets: a declared content-length above it fails at once, before anything is read; a body
    /// that grows past it fails as soon as it does, and the rest is left unread (its flow-control
    /// credit goes back when the body is disposed or the handler ends).
    /// </summary>
    /// <param name="maxLength">The most octets to accept.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The remaining octets.</returns>
    /// <exception cref="InvalidDataException">The body is larger than <paramref name="maxLength"/>.</exception>
    public async Task<byte[]> ReadToEndAsync(long maxLength, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        long declared;
        lock (_session.Sync)
        {
            declared = _session.Connection.TryGetStream(_streamId, out StreamInfo info) ? info.InboundContentLength : -1;
        }

        if (declared > maxLength)
        {
            throw new InvalidDataException($"The body's content-length of {declared} octets exceeds the limit of {maxLength}.");
        }

        using var memory = new MemoryStream();
        byte[] buffer = new byte[(int)Math.Clamp(maxLength + 1, 1, 16384)];
        int read;
        while ((read = await ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (memory.Length + read > maxLength)
            {
                throw new InvalidDataException($"The body exceeds the limit of {maxLength} octets.");
            }

            memory.Write(buffer, 0, read);
        }

        return memory.ToArray();
    }

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

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_abandoned)
        {
            _session.BodyDisposed(this, _streamId);
        }

        base.Dispose(disposing);
    }
}
