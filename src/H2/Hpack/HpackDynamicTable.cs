namespace H2.Hpack;

/// <summary>
/// The HPACK dynamic table (RFC 7541 §2.3.2, §4): a first-in first-out list of fields whose
/// summed sizes stay within a maximum, newest at index 1.
/// </summary>
internal class HpackDynamicTable
{
    // Ring buffer: _entries[_newest] is dynamic index 1; older entries follow at lower slots.
    private HeaderField[] _entries = [];
    private int _newest = -1;

    public HpackDynamicTable(int maxSize)
    {
        MaxSize = maxSize;
    }

    /// <summary>Number of entries in the table.</summary>
    public int Count { get; private set; }

    /// <summary>Sum of the entry sizes (octets of name and value plus 32 each).</summary>
    public int Size { get; private set; }

    /// <summary>The size the entries may not exceed.</summary>
    public int MaxSize { get; private set; }

    /// <summary>
    /// How many entries were ever added. The entry with dynamic index i has insertion number
    /// <c>Inserted - i</c>, a name that stays fixed while the entry lives.
    /// </summary>
    public long Inserted { get; private set; }

    /// <summary>The entry at a 1-based dynamic index (1 is the newest); the caller checks the range.</summary>
    public ref readonly HeaderField this[int index]
    {
        get
        {
            int slot = _newest - (index - 1);
            if (slot < 0)
            {
                slot += _entries.Length;
            }

            return ref _entries[slot];
        }
    }

    /// <summary>
    /// Adds a field as the newest entry, evicting the oldest ones until it fits. A field larger
    /// than <see cref="MaxSize"/> empties the table and is not added (RFC 7541 §4.4).
    /// </summary>
    public void Add(in HeaderField field)
    {
        int size = field.Size;
        if (size > MaxSize)
        {
            EvictTo(0);
            return;
        }

        EvictTo(MaxSize - size);
        if (Count == _entries.Length)
        {
            Grow();
        }

        _newest = (_newest + 1) % _entries.Length;
        _entries[_newest] = field;
        Count++;
        Size += size;
        Inserted++;
    }

    /// <summary>Evicts every entry: what adding an entry larger than the table does (RFC 7541 §4.4).</summary>
    public void Clear() => EvictTo(0);

    /// <summary>Changes the maximum size, evicting entries that no longer fit (RFC 7541 §4.3).</summary>
    public void SetMaxSize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    /// <summary>Called for each entry as it is evicted, oldest first.</summary>
    /// <param name="entry">The evicted field.</param>
    /// <param name="insertion">Its insertion number (see <see cref="Inserted"/>).</param>
    protected virtual void OnEvicted(in HeaderField entry, long insertion)
    {
    }

    private void EvictTo(int size)
    {
        while (Size > size)
        {
            int oldest = _newest - (Count - 1);
            if (oldest < 0)
            {
                oldest += _entries.Length;
            }

            ref HeaderField entry = ref _entries[oldest];
            OnEvicted(entry, Inserted - Count);
            Size -= entry.Size;
            entry = default;
            Count--;
        }
    }

    private void Grow()
    {
        // Unroll the ring into a bigger array, oldest first, so _newest is the last used slot.
        var bigger = new HeaderField[Math.Max(16, _entries.Length * 2)];
        for (int i = 0; i < Count; i++)
        {
            bigger[i] = this[Count - i];
        }

        _entries = bigger;
        _newest = Count - 1;
    }
}
