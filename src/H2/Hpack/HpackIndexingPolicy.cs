namespace H2.Hpack;

/// <summary>Which fields an <see cref="HpackEncoder"/> enters into its dynamic table.</summary>
public enum HpackIndexingPolicy
{
    /// <summary>
    /// The rules described on <see cref="HpackEncoder"/>: credentials and short cookies are never
    /// indexed, and neither are large fields or fields whose values rarely repeat.
    /// </summary>
    Default,

    /// <summary>
    /// Every field not marked <see cref="HeaderField.Sensitive"/>, as in the examples of RFC 7541
    /// Appendix C. A field larger than the whole table still empties it (RFC 7541 §4.4).
    /// </summary>
    All,

    /// <summary>No field: only the static table is used, so no state builds up between blocks.</summary>
    None,
}
