using System.Buffers;

namespace H2;

/// <summary>
/// Octets held back between calls (a frame cut by the end of a read, an HPACK representation cut
/// by the end of a fragment) in an array rented from the shared pool and returned as soon as it
/// is empty, so an idle connection holds none.
/// </summary>
internal struct PooledBuffer
{
    // The least array rented: small holds are common, and growing them one by one is a copy each.
    private const int MinimumRent = 256;

    private byte[]? _array;
    private int _length;

    /// <summary>How many octets are held.</summary>
    public readonly int Length => _length;

    /// <summary>Whether none are held.</summary>
    public readonly bool IsEmpty => _length == 0;

    /// <summary>The octets held.</summary>
    public readonly ReadOnlySpan<byte> Span => _array.AsSpan(0, _length);

    /// <summary>Appends octets, growing the array to at least <paramref name="reserve"/> octets when it must grow.</summary>
    public void Append(ReadOnlySpan<byte> octets, int reserve = 0)
    {
        if (octets.IsEmpty)
        {
            return;
        }

        int needed = _length + octets.Length;
        if (_array is null || _array.Length < needed)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(needed, reserve), MinimumRent));
            if (_array is not null)
            {
                _array.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_array);
            }

            _array = bigger;
        }

        octets.CopyTo(_array.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Drops the first <paramref name="count"/> octets, which have been used; an empty buffer goes back to the pool.</summary>
    public void Consume(int count)
    {
        _array.AsSpan(count, _length - count).CopyTo(_array);
        _length -= count;
        if (_length == 0)
        {
            Clear();
        }
    }

    /// <summary>
    /// Hands the array over to the caller, who returns it to <see cref="ArrayPool{T}.Shared"/>;
    /// the buffer is left empty, so a failure while the caller uses the octets cannot return it twice.
    /// </summary>
    public byte[] Detach()
    {
        byte[] array = _array ?? [];
        _array = null;
        _length = 0;
        return array;
    }

    /// <summary>Forgets the octets held and returns the array to the pool.</summary>
    public void Clear()
    {
        _length = 0;
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = null;
        }
    }
}
