using System.Text;

namespace H2;

/// <summary>
/// The one-octet-per-char mapping (ISO-8859-1) H2Sharp uses for field names and values and
/// other protocol text, so any octet sequence survives a round trip through a string.
/// </summary>
internal static class Latin1
{
    /// <summary>Whether every char of <paramref name="text"/> fits in one octet.</summary>
    public static bool IsValid(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('\0', '\u00FF');

    /// <summary>Whether <paramref name="octets"/> hold exactly the ASCII text <paramref name="ascii"/>.</summary>
    public static bool Equals(ReadOnlySpan<byte> octets, string ascii) => Ascii.Equals(octets, ascii);

    /// <summary>Makes a string with one char per octet.</summary>
    public static string GetString(ReadOnlySpan<byte> octets) => octets.IsEmpty ? string.Empty : Encoding.Latin1.GetString(octets);

    /// <summary>Writes one octet per char; the caller has checked <see cref="IsValid"/>.</summary>
    public static int GetBytes(ReadOnlySpan<char> text, Span<byte> destination) => Encoding.Latin1.GetBytes(text, destination);
}
