namespace H2.Frames;

/// <summary>One identifier/value pair of a SETTINGS frame (RFC 9113 §6.5.1).</summary>
/// <param name="Code">The setting; unknown identifiers are kept as their number.</param>
/// <param name="Value">The 32-bit value as sent; range checks belong to the connection (RFC 9113 §6.5.2).</param>
public readonly record struct Setting(SettingCode Code, uint Value)
{
    /// <summary>The size of one setting on the wire.</summary>
    public const int Size = 6;
}
