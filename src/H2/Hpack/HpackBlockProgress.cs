namespace H2.Hpack;

/// <summary>What <see cref="HpackDecoder"/> has decoded of one block so far, across its fragments.</summary>
internal struct HpackBlockProgress
{
    /// <summary>The header list size so far, as SETTINGS_MAX_HEADER_LIST_SIZE counts it.</summary>
    public long ListSize;

    /// <summary>Whether any representation (field or size update) has been read.</summary>
    public bool HasRepresentation;

    /// <summary>Whether a field representation has been read (size updates must come before, RFC 7541 §4.2).</summary>
    public bool HasField;

    /// <summary>Whether a string was skipped as longer than the limit.</summary>
    public bool SkippedString;
}
