using System.Buffers;

namespace H2.Connection;

/// <summary>
/// The bytes a connection has queued for the peer: frames written into pooled chunks, and bodies
/// the application lent without copying, in order. The caller takes them whole, in part, or chunk
/// by chunk.
/// </summary>
internal sealed class OutboundQueue : IBufferWriter<byte>
{
    private const int ChunkSize = 16 * 1024;

    // Segments from _head on are pending; a pooled segment owns its array and is writable at its end.
    private readonly List<Segment> _segments = [];
    private int _head;

    /// <summary>The number of octets queued.</summary>
    public long Length { get; private set; }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_segments.Count > _head && _segments[^1] is { Pooled: byte[] tail } last && tail.Length - last.End >= needed)
        {
            return tail.AsMemory(last.End);
        }

        byte[] chunk = ArrayPool<byte>.Shared.Rent(Math.Max(needed, ChunkSize));
        _segments.Add(new Segment(chunk, chunk, 0, 0));
        return chunk;
    }

    public void Advance(int count)
    {
        Segment last = _segments[^1];
        _segments[^1] = last with { End = last.End + count };
        Length += count;
    }

    /// <summary>Queues octets the caller keeps ownership of; they must stay unchanged until taken.</summary>
    public void Append(ReadOnlyMemory<byte> external)
    {
        if (!external.IsEmpty)
        {
            _segments.Add(new Segment(null, external, 0, external.Length));
            Length += external.Length;
        }
    }

    /// <summary>The first pending run of octets, or empty.</summary>
    public ReadOnlyMemory<byte> Peek()
    {
        for (int i = _head; i < _segments.Count; i++)
        {
            Segment segment = _segments[i];
            if (segment.End > segment.Start)
            {
                return segment.Memory[segment.Start..segment.End];
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Drops <paramref name="count"/> octets from the front.</summary>
    public void Consume(long count)
    {
        count = Math.Min(count, Length);
        Length -= count;
        while (count > 0)
        {
            Segment segment = _segments[_head];
            int take = (int)Math.Min(count, segment.End - segment.Start);
            count -= take;
            segment = segment with { Start = segment.Start + take };
            if (segment.Start < segment.End)
            {
                _segments[_head] = segment;
            }
            else if (_head == _segments.Count - 1 && segment.Pooled is not null)
            {
                // The last chunk is emptied: keep it for the next frames rather than renting again.
                _segments[_head] = segment with { Start = 0, End = 0 };
            }
            else
            {
                Release(segment);
                _head++;
            }
        }

        if (_head > 0 && _head >= _segments.Count - 1)
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
            Segment segment = _segments[i];
            ReadOnlySpan<byte> span = segment.Memory.Span[segment.Start..segment.End];
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

    /// <summary>Drops everything queued.</summary>
    public void Clear() => Consume(Length);

    private static void Release(Segment segment)
    {
        if (segment.Pooled is not null)
        {
            ArrayPool<byte>.Shared.Return(segment.Pooled);
        }
    }

    private readonly record struct Segment(byte[]? Pooled, ReadOnlyMemory<byte> Memory, int Start, int End);
}
