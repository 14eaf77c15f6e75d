using H2.Hpack;

namespace H2.Net;

/// <summary>The receiving side of a body: the queue the session fills with DATA as it arrives, bounded in chunks and gathered when small, and its end.</summary>
public sealed partial class H2BodyStream
{
    // A body this fragmented is a flood of tiny DATA frames, not a transfer.
    private const int MaxQueuedChunks = 4096;

    // Payloads smaller than this are copied together into one buffer instead of queued one by one:
    // a queued chunk costs some 100 octets of its own (the payload's array, the queue entry), so a
    // window's worth of one-octet DATA frames would otherwise hold a hundred times its size.
    private const int SmallChunk = 512;
    private const int GatherBufferSize = 4096;

    // The buffer gathering small payloads, not yet queued: its length and their flow-controlled octets.
    private byte[]? _tail;
    private int _tailLength;
    private int _tailFlow;

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

        if (data.Length < SmallChunk)
        {
            if (_tailLength + data.Length > GatherBufferSize)
            {
                FlushTail();
            }

            if (_tail is null || _tailLength + data.Length > _tail.Length)
            {
                // The buffer grows as payloads come, so a stream that got one small payload holds
                // a small buffer, not a whole gathering buffer.
                byte[] larger = new byte[Math.Min(GatherBufferSize, Math.Max(64, Math.Max(2 * (_tail?.Length ?? 0), _tailLength + data.Length)))];
                _tail?.AsSpan(0, _tailLength).CopyTo(larger);
                _tail = larger;
            }

            data.Span.CopyTo(_tail.AsSpan(_tailLength));
            _tailLength += data.Length;
            _tailFlow += flowControlled;
        }
        else
        {
            FlushTail();
            if (_chunks!.Count >= MaxQueuedChunks)
            {
                returnNow = flowControlled;
                return false;
            }

            _chunks.Enqueue((data, flowControlled));
        }

        _receiving.Add(data.Length);
        _available.Set();
        return true;
    }

    /// <summary>Queues the gathered small payloads as one chunk; called under the session lock.</summary>
    private void FlushTail()
    {
        _chunks ??= new Queue<(ReadOnlyMemory<byte> Data, int FlowControlled)>();
        if (_tailLength > 0)
        {
            _chunks.Enqueue((_tail.AsMemory(0, _tailLength), _tailFlow));
            _tail = null;
            _tailLength = 0;
            _tailFlow = 0;
        }
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
        int credit = _tailFlow;
        while (_chunks is { Count: > 0 })
        {
            credit += _chunks.Dequeue().FlowControlled;
        }

        _tail = null;
        _tailLength = 0;
        _tailFlow = 0;
        _offset = 0;
        return credit;
    }
}
