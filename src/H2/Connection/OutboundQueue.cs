using System.Buffers;
using H2.Frames;

namespace H2.Connection;

/// <summary>
/// The bytes a connection has queued for the peer: frames written into pooled chunks, and bodies
/// the application lent without copying, in order. The caller takes them whole, in part, or run
/// by run.
/// </summary>
/// <remarks>
/// Frames are written at the free end of the current chunk; each run of them is a segment that
/// views part of the chunk, so frames on both sides of a lent body share one chunk. A chunk goes
/// back to the pool once no segment views it and it is no longer written to.
/// </remarks>
internal sealed class OutboundQueue : IBufferWriter<byte>, IFrameCounter
{
    /// <summary>Frames written into the queue so far (counted as each frame's header is written).</summary>
    public long FramesWritten { get; private set; }

    void IFrameCounter.FrameWritten() => FramesWritten++;

    private const int ChunkSize = 16 * 1024;

    // Segments from _head on are pending.
    private readonly List<Segment> _segments = [];
    private int _head;
    private Chunk? _write;

    // Octets ever queued and ever taken, and where each control frame ends in that count, so the
    // connection can tell how many control frames still wait to be taken.
    private long _queuedTotal;
    private long _takenTotal;
    private readonly Queue<long> _controlFrameEnds = new();
    private readonly Queue<long> _acknowledgementEnds = new();

    /// <summary>The number of octets queued.</summary>
    public long Length { get; private set; }

    /// <summary>
    /// Queues a DATA frame whose payload is lent, not copied (RFC 9113 §6.1): the frame header (and
    /// pad length) into the current chunk, the payload by reference, then the padding.
    /// </summary>
    public void WriteDataFrame(int streamId, ReadOnlyMemory<byte> data, bool endStream, int padLength)
    {
        FrameFlags flags = (endStream ? FrameFlags.EndStream : FrameFlags.None) | (padLength > 0 ? FrameFlags.Padded : FrameFlags.None);
        Span<byte> head = GetSpan(FrameHeader.Size + 1);
        new FrameHeader(data.Length + (padLength > 0 ? padLength + 1 : 0), FrameType.Data, flags, streamId).Write(head);
        FramesWritten++;
        int written = FrameHeader.Size;
        if (padLength > 0)
        {
            head[written++] = (byte)padLength;
        }

        Advance(written);
        Append(data);
        if (padLength > 0)
        {
            GetSpan(padLength)[..padLength].Clear();
            Advance(padLength);
        }
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_write is null || _write.Array.Length - _write.Written < needed)
        {
            Retire(_write);
            byte[] array = ArrayPool<byte>.Shared.Rent(Math.Max(needed, ChunkSize));
            _write = new Chunk(array);
        }

        return _write.Array.AsMemory(_write.Written);
    }

    public void Advance(int count)
    {
        if (count == 0)
        {
            return;
        }

        Chunk chunk = _write!;
        int start = chunk.Written;
        chunk.Written += count;
        Length += count;
        _queuedTotal += count;

        // Extend the last segment when it ends where this run starts in the same chunk.
        if (_segments.Count > _head && _segments[^1] is { Chunk: not null } last && ReferenceEquals(last.Chunk, chunk) && last.End == start)
        {
            _segments[^1] = last with { End = chunk.Written };
            return;
        }

        chunk.References++;
        _segments.Add(new Segment(chunk, chunk.Array, start, chunk.Written));
    }

    /// <summary>Queues octets the caller keeps ownership of; they must stay unchanged until taken.</summary>
    public void Append(ReadOnlyMemory<byte> external)
    {
        if (!external.IsEmpty)
        {
            _segments.Add(new Segment(null, external, 0, external.Length));
            Length += external.Length;
            _queuedTotal += external.Length;
        }
    }

    /// <summary>The first pending run of octets, or empty.</summary>
    public ReadOnlyMemory<byte> Peek() =>
        _head < _segments.Count ? _segments[_head].View : ReadOnlyMemory<byte>.Empty;

    /// <summary>Drops <paramref name="count"/> octets from the front.</summary>
    public void Consume(long count)
    {
        count = Math.Min(count, Length);
        Length -= count;
        _takenTotal += count;
        while (count > 0)
        {
            Segment segment = _segments[_head];
            int take = (int)Math.Min(count, segment.End - segment.Start);
            count -= take;
            if (segment.Start + take < segment.End)
            {
                _segments[_head] = segment with { Start = segment.Start + take };
                break;
            }

            _segments[_head++] = default;
            if (segment.Chunk is Chunk chunk && --chunk.References == 0)
            {
                if (ReferenceEquals(chunk, _write))
                {
                    // Nothing left in the chunk we write to: an idle connection should hold no
                    // chunk at all, so it goes back to the pool (renting it again is cheap).
                    _write = null;
                }

                ArrayPool<byte>.Shared.Return(chunk.Array);
            }
        }

        // Drop consumed entries once they are the larger part of the list, so it never grows with a backlog.
        if (_head == _segments.Count || (_head > 16 && _head > _segments.Count / 2))
        {
            _segments.RemoveRange(0, _head);
            _head = 0;
        }
    }

    /// <summary>Copies up to <paramref name="destination"/>.Length octets from the front without removing them.</summary>
    public int CopyTo(Span<byte> destination)
    {
        int copied = 0;
        for (int i = _head; i < _segments.Count && copied < destination.Length; i++)
        {
            ReadOnlySpan<byte> span = _segments[i].View.Span;
            int take = Math.Min(span.Length, destination.Length - copied);
            span[..take].CopyTo(destination[copied..]);
            copied += take;
        }

        return copied;
    }

    /// <summary>Removes and returns up to <paramref name="max"/> octets from the front.</summary>
    public byte[] Take(long max)
    {
        var bytes = new byte[(int)Math.Min(max, Length)];
        CopyTo(bytes);
        Consume(bytes.Length);
        return bytes;
    }

    /// <summary>Notes that a control frame was just queued; <paramref name="acknowledgement"/> for SETTINGS and PING acknowledgements.</summary>
    public void MarkControlFrame(bool acknowledgement)
    {
        _controlFrameEnds.Enqueue(_queuedTotal);
        if (acknowledgement)
        {
            _acknowledgementEnds.Enqueue(_queuedTotal);
        }
    }

    /// <summary>How many control frames are queued and not yet wholly taken.</summary>
    public int PendingControlFrames => Pending(_controlFrameEnds);

    /// <summary>How many SETTINGS and PING acknowledgements are queued and not yet wholly taken.</summary>
    public int PendingAcknowledgements => Pending(_acknowledgementEnds);

    private int Pending(Queue<long> ends)
    {
        while (ends.TryPeek(out long end) && end <= _takenTotal)
        {
            ends.Dequeue();
        }

        return ends.Count;
    }

    /// <summary>Drops everything queued.</summary>
    public void Clear() => Consume(Length);

    /// <summary>Stops writing to a chunk; it returns to the pool now if no segment views it.</summary>
    private static void Retire(Chunk? chunk)
    {
        if (chunk is not null && chunk.References == 0)
        {
            ArrayPool<byte>.Shared.Return(chunk.Array);
        }
    }

    /// <summary>A pooled array written from its start, and how many pending segments view it.</summary>
    private sealed class Chunk(byte[] array)
    {
        public byte[] Array { get; } = array;

        public int Written { get; set; }

        public int References { get; set; }
    }

    private readonly record struct Segment(Chunk? Chunk, ReadOnlyMemory<byte> Memory, int Start, int End)
    {
        public ReadOnlyMemory<byte> View => Memory[Start..End];
    }
}
