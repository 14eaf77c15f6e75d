namespace H2.Hpack;

/// <summary>
/// One header field: a name, a value, and whether it is sensitive.
/// </summary>
/// <remarks>
/// <para>
/// HTTP/2 field names and values are octet sequences. H2Sharp holds them in <see cref="string"/>s
/// with one <see cref="char"/> per octet (ISO-8859-1, <c>Encoding.Latin1</c>): octet 0xE9 is
/// char U+00E9, and so on. Every octet sequence therefore round-trips losslessly, including
/// octets that are not valid UTF-8. Encoding a string that holds a char above U+00FF is an error.
/// </para>
/// <para>
/// A <see cref="Sensitive"/> field is never entered into an HPACK dynamic table and is sent with
/// the "never indexed" representation (RFC 7541 §7.1.3), which intermediaries must keep.
/// Decoded fields that arrived with that representation come back with <see cref="Sensitive"/> set.
/// </para>
/// </remarks>
/// <param name="Name">The field name, one char per octet.</param>
/// <param name="Value">The field value, one char per octet.</param>
/// <param name="Sensitive">Whether the field must never be indexed by HPACK.</param>
public readonly record struct HeaderField(string Name, string Value, bool Sensitive = false)
{
    /// <summary>The per-entry overhead that RFC 7541 §4.1 adds to the octets of name and value.</summary>
    public const int EntryOverhead = 32;

    /// <summary>
    /// The size of this field as HPACK's dynamic table and SETTINGS_MAX_HEADER_LIST_SIZE count it:
    /// name octets plus value octets plus 32 (RFC 7541 §4.1, RFC 9113 §6.5.2).
    /// </summary>
    public int Size => Name.Length + Value.Length + EntryOverhead;

    /// <summary>Makes a non-sensitive field from a (name, value) pair.</summary>
    /// <param name="field">The name and the value.</param>
    public static implicit operator HeaderField((string Name, string Value) field) => new(field.Name, field.Value);

    /// <summary>Makes a non-sensitive field from a (name, value) pair.</summary>
    /// <param name="field">The name and the value.</param>
    /// <returns>The field.</returns>
    public static HeaderField FromValueTuple((string Name, string Value) field) => new(field.Name, field.Value);

    /// <inheritdoc/>
    public override string ToString() => Sensitive ? $"{Name}: {Value} (sensitive)" : $"{Name}: {Value}";
}
