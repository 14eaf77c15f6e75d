using System.Buffers;

namespace H2.Headers;

/// <summary>
/// The character rules of RFC 9113 §8.2.1 for names and values, with a vectorized test for the
/// usual all-plain field; <see cref="HeaderChecker"/> applies them with the other field rules.
/// </summary>
internal static class HeaderValidator
{
    // RFC 9113 §8.2.1: names never contain 0x00-0x20, 0x41-0x5a (uppercase), 0x7f-0xff, or a
    // colon after the first octet.
    private static readonly SearchValues<char> s_invalidNameChars = SearchValues.Create(InvalidNameChars());

    // RFC 9113 §8.2.1: values never contain NUL, CR or LF.
    private static readonly SearchValues<char> s_invalidValueChars = SearchValues.Create("\0\r\n");

    // The usual case, checked in one vectorized pass: names of printable ASCII without uppercase
    // or colon, values of printable ASCII, SP and HTAB. Such fields need no further character
    // check, no Latin-1 check and no normalizing; anything else takes the detailed checks.
    private static readonly SearchValues<char> s_plainNameChars = SearchValues.Create(PlainChars(name: true));
    private static readonly SearchValues<char> s_plainValueChars = SearchValues.Create(PlainChars(name: false));

    /// <summary>Checks a regular field's name: not empty, none of the octets RFC 9113 §8.2.1 forbids.</summary>
    public static bool IsValidName(string name) =>
        IsPlainName(name) || (name.Length > 0 && name.AsSpan().IndexOfAny(s_invalidNameChars) < 0);

    /// <summary>Checks a header value: no NUL, CR or LF, and no leading or trailing SP or HTAB.</summary>
    public static bool IsValidValue(string value) =>
        IsPlainValue(value)
        || (value.AsSpan().IndexOfAny(s_invalidValueChars) < 0 && !HasEdgeWhitespace(value));

    /// <summary>
    /// Whether a name is printable ASCII without uppercase or colon (after a pseudo-header's
    /// leading colon): valid, Latin-1 and already lowercase.
    /// </summary>
    public static bool IsPlainName(string name) =>
        name.Length > 0 && name.AsSpan(name[0] == ':' ? 1 : 0).IndexOfAnyExcept(s_plainNameChars) < 0;

    /// <summary>Whether a value is printable ASCII, SP and HTAB, with no SP or HTAB at either end: valid, Latin-1 and trimmed.</summary>
    public static bool IsPlainValue(string value) => value.AsSpan().IndexOfAnyExcept(s_plainValueChars) < 0 && !HasEdgeWhitespace(value);

    private static bool IsWhitespace(char c) => c is ' ' or '\t';

    private static bool HasEdgeWhitespace(string value) => value.Length > 0 && (IsWhitespace(value[0]) || IsWhitespace(value[^1]));

    private static string PlainChars(bool name)
    {
        var chars = new List<char>();
        if (!name)
        {
            chars.Add('\t');
            chars.Add(' ');
        }

        for (char c = '!'; c <= '~'; c++)
        {
            if (!name || (c is not (>= 'A' and <= 'Z') and not ':'))
            {
                chars.Add(c);
            }
        }

        return new string([.. chars]);
    }

    private static string InvalidNameChars()
    {
        var chars = new List<char>();
        for (char c = '\0'; c <= ' '; c++)
        {
            chars.Add(c);
        }

        for (char c = 'A'; c <= 'Z'; c++)
        {
            chars.Add(c);
        }

        for (char c = '\u007f'; c <= '\u00ff'; c++)
        {
            chars.Add(c);
        }

        chars.Add(':');
        return new string([.. chars]);
    }
}
