using System.Buffers;

namespace H2.Hpack;

/// <summary>
/// The octets of a representation cut by the end of a fragment, kept until the next fragment
/// completes it. The buffer is pooled and serves one block: an idle connection keeps none.
/// </summary>
internal struct HpackCarryOver
{
    // The least buffer rented, so a representation growing over a few fragments is not copied each time.
    private const int Minimum = 4096;

    private byte[]? _buffer;
    private int _length;

    /// <summary>Whether octets are carried over.</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>The octets carried over.</summary>
    public readonly ReadOnlySpan<byte> Octets => _buffer.AsSpan(0, _length);

    /// <summary>Appends octets to those carried over.</summary>
    public void Append(ReadOnlySpan<byte> octets)
    {
        if (octets.IsEmpty)
        {
            return;
        }

        int needed = _length + octets.Length;
        if (_buffer is null || _buffer.Length < needed)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Minimum));
            _buffer?.AsSpan(0, _length).CopyTo(bigger);
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = bigger;
        }

        octets.CopyTo(_buffer.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Drops the first <paramref name="count"/> octets, which have been decoded.</summary>
    public void Consume(int count)
    {
        _buffer.AsSpan(count, _length - count).CopyTo(_buffer);
        _length -= count;
    }

    /// <summary>Forgets what is carried over and returns the buffer to the pool.</summary>
    public void Clear()
    {
        _length = 0;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
