namespace H2.Hpack;

/// <summary>
/// The encoder's dynamic table: the same FIFO as the decoder's, plus maps from a field and from a
/// name to the newest entry holding it, so each lookup is one hash probe.
/// </summary>
internal sealed class HpackEncoderTable : HpackDynamicTable
{
    // Up to this size the table holds at most 128 entries, few enough that a cheap hash of a few
    // characters is safe (a crafted collision costs at most a short chain); hashing every octet
    // of every field was the encoder's largest cost. Larger tables hash whole strings.
    private const int SampledHashLimit = 4096;

    // Values are insertion numbers (see HpackDynamicTable.Inserted).
    private Dictionary<FieldKey, long> _fields;
    private readonly Dictionary<string, long> _names = new(StringComparer.Ordinal);

    public HpackEncoderTable(int maxSize)
        : base(maxSize)
    {
        _fields = new(maxSize <= SampledHashLimit ? FieldKeyComparer.Sampled : FieldKeyComparer.Full);
    }

    /// <summary>Adds the field as the newest entry and records it in the lookup maps.</summary>
    public void AddAndIndex(in HeaderField field)
    {
        if (MaxSize > SampledHashLimit && ReferenceEquals(_fields.Comparer, FieldKeyComparer.Sampled))
        {
            // The table grew past the limit: from now on, whole-string hashes.
            _fields = new(_fields, FieldKeyComparer.Full);
        }

        Add(field);

        // Add does nothing but empty the table when the field is larger than the table.
        if (field.Size <= MaxSize)
        {
            long insertion = Inserted - 1;
            _fields[new FieldKey(field.Name, field.Value)] = insertion;
            _names[field.Name] = insertion;
        }
    }

    /// <summary>The HPACK index (static count + dynamic index) of an entry equal to the field, or 0.</summary>
    public int FindField(string name, string value) =>
        Count != 0 && _fields.TryGetValue(new FieldKey(name, value), out long insertion) ? ToIndex(insertion) : 0;

    /// <summary>The HPACK index of the newest entry with this name, or 0.</summary>
    public int FindName(string name) =>
        Count != 0 && _names.TryGetValue(name, out long insertion) ? ToIndex(insertion) : 0;

    protected override void OnEvicted(in HeaderField entry, long insertion)
    {
        // Entries leave oldest first, so a map that still points at this entry has no newer
        // entry for the same key: the key leaves the table with it.
        var key = new FieldKey(entry.Name, entry.Value);
        if (_fields.TryGetValue(key, out long newest) && newest == insertion)
        {
            _fields.Remove(key);
        }

        if (_names.TryGetValue(entry.Name, out newest) && newest == insertion)
        {
            _names.Remove(entry.Name);
        }
    }

    private int ToIndex(long insertion) => HpackStaticTable.Count + (int)(Inserted - insertion);

    private readonly record struct FieldKey(string Name, string Value);

    /// <summary>Compares fields by their octets; hashes a few characters (small tables) or whole strings.</summary>
    private sealed class FieldKeyComparer(bool sampled) : IEqualityComparer<FieldKey>
    {
        public static readonly FieldKeyComparer Sampled = new(sampled: true);
        public static readonly FieldKeyComparer Full = new(sampled: false);

        public bool Equals(FieldKey x, FieldKey y) =>
            string.Equals(x.Name, y.Name, StringComparison.Ordinal) && string.Equals(x.Value, y.Value, StringComparison.Ordinal);

        public int GetHashCode(FieldKey key) => sampled
            ? HashCode.Combine(Sample(key.Name), Sample(key.Value))
            : HashCode.Combine(key.Name.GetHashCode(StringComparison.Ordinal), key.Value.GetHashCode(StringComparison.Ordinal));

        private static int Sample(string text) => text.Length == 0
            ? 0
            : (text.Length * 31) ^ (text[0] << 8) ^ (text[^1] << 16) ^ (text[text.Length / 2] << 24);
    }
}
