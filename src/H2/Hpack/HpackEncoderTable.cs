namespace H2.Hpack;

/// <summary>
/// The encoder's dynamic table: the same FIFO as the decoder's, plus maps from a field and from a
/// name to the newest entry holding it, so each lookup is one hash probe.
/// </summary>
internal sealed class HpackEncoderTable : HpackDynamicTable
{
    // Values are insertion numbers (see HpackDynamicTable.Inserted).
    private readonly Dictionary<FieldKey, long> _fields = new();
    private readonly Dictionary<string, long> _names = new(StringComparer.Ordinal);

    public HpackEncoderTable(int maxSize)
        : base(maxSize)
    {
    }

    /// <summary>Adds the field as the newest entry and records it in the lookup maps.</summary>
    public void AddAndIndex(in HeaderField field)
    {
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

    private readonly record struct FieldKey(string Name, string Value)
    {
        public bool Equals(FieldKey other) =>
            string.Equals(Name, other.Name, StringComparison.Ordinal) && string.Equals(Value, other.Value, StringComparison.Ordinal);

        public override int GetHashCode() => HashCode.Combine(Name.GetHashCode(StringComparison.Ordinal), Value.GetHashCode(StringComparison.Ordinal));
    }
}
