namespace H2.Hpack;

/// <summary>The 61-entry static table of RFC 7541 Appendix A, with the lookups both codec halves need.</summary>
internal static class HpackStaticTable
{
    /// <summary>Number of entries; dynamic-table indices start right after it.</summary>
    public const int Count = 61;

    // Index i of the RFC table is element i - 1. These strings are the ones handed out for every
    // indexed reference, so decoding a static entry allocates nothing.
    private static readonly HeaderField[] s_entries =
    [
        new(":authority", ""),
        new(":method", "GET"),
        new(":method", "POST"),
        new(":path", "/"),
        new(":path", "/index.html"),
        new(":scheme", "http"),
        new(":scheme", "https"),
        new(":status", "200"),
        new(":status", "204"),
        new(":status", "206"),
        new(":status", "304"),
        new(":status", "400"),
        new(":status", "404"),
        new(":status", "500"),
        new("accept-charset", ""),
        new("accept-encoding", "gzip, deflate"),
        new("accept-language", ""),
        new("accept-ranges", ""),
        new("accept", ""),
        new("access-control-allow-origin", ""),
        new("age", ""),
        new("allow", ""),
        new("authorization", ""),
        new("cache-control", ""),
        new("content-disposition", ""),
        new("content-encoding", ""),
        new("content-language", ""),
        new("content-length", ""),
        new("content-location", ""),
        new("content-range", ""),
        new("content-type", ""),
        new("cookie", ""),
        new("date", ""),
        new("etag", ""),
        new("expect", ""),
        new("expires", ""),
        new("from", ""),
        new("host", ""),
        new("if-match", ""),
        new("if-modified-since", ""),
        new("if-none-match", ""),
        new("if-range", ""),
        new("if-unmodified-since", ""),
        new("last-modified", ""),
        new("link", ""),
        new("location", ""),
        new("max-forwards", ""),
        new("proxy-authenticate", ""),
        new("proxy-authorization", ""),
        new("range", ""),
        new("referer", ""),
        new("refresh", ""),
        new("retry-after", ""),
        new("server", ""),
        new("set-cookie", ""),
        new("strict-transport-security", ""),
        new("transfer-encoding", ""),
        new("user-agent", ""),
        new("vary", ""),
        new("via", ""),
        new("www-authenticate", ""),
    ];

    // Static names grouped by length, to turn decoded literal name octets back into the shared
    // strings above without allocating.
    private static readonly string[][] s_namesByLength = GroupNamesByLength();

    /// <summary>The entry at a 1-based static index (1..61).</summary>
    public static ref readonly HeaderField Get(int index) => ref s_entries[index - 1];

    /// <summary>The lowest static index whose name is <paramref name="name"/>, or 0.</summary>
    public static int FindName(string name) => name switch
    {
        ":authority" => 1,
        ":method" => 2,
        ":path" => 4,
        ":scheme" => 6,
        ":status" => 8,
        "accept-charset" => 15,
        "accept-encoding" => 16,
        "accept-language" => 17,
        "accept-ranges" => 18,
        "accept" => 19,
        "access-control-allow-origin" => 20,
        "age" => 21,
        "allow" => 22,
        "authorization" => 23,
        "cache-control" => 24,
        "content-disposition" => 25,
        "content-encoding" => 26,
        "content-language" => 27,
        "content-length" => 28,
        "content-location" => 29,
        "content-range" => 30,
        "content-type" => 31,
        "cookie" => 32,
        "date" => 33,
        "etag" => 34,
        "expect" => 35,
        "expires" => 36,
        "from" => 37,
        "host" => 38,
        "if-match" => 39,
        "if-modified-since" => 40,
        "if-none-match" => 41,
        "if-range" => 42,
        "if-unmodified-since" => 43,
        "last-modified" => 44,
        "link" => 45,
        "location" => 46,
        "max-forwards" => 47,
        "proxy-authenticate" => 48,
        "proxy-authorization" => 49,
        "range" => 50,
        "referer" => 51,
        "refresh" => 52,
        "retry-after" => 53,
        "server" => 54,
        "set-cookie" => 55,
        "strict-transport-security" => 56,
        "transfer-encoding" => 57,
        "user-agent" => 58,
        "vary" => 59,
        "via" => 60,
        "www-authenticate" => 61,
        _ => 0,
    };

    /// <summary>
    /// Finds the static entry for a field. Returns its index when name and value both match, else
    /// the negated index of the first entry with the name, else 0.
    /// </summary>
    public static int Find(string name, string value)
    {
        int first = FindName(name);
        if (first == 0)
        {
            return 0;
        }

        // Entries that share a name are adjacent in the table (:method 2-3, :status 8-14, ...).
        for (int i = first; i <= Count && ReferenceEquals(s_entries[i - 1].Name, s_entries[first - 1].Name); i++)
        {
            if (string.Equals(s_entries[i - 1].Value, value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -first;
    }

    /// <summary>
    /// Returns the shared static-table string equal to <paramref name="octets"/>, or <see langword="null"/>.
    /// </summary>
    public static string? FindInternedName(ReadOnlySpan<byte> octets)
    {
        if (octets.Length >= s_namesByLength.Length)
        {
            return null;
        }

        foreach (string candidate in s_namesByLength[octets.Length])
        {
            if (Latin1.Equals(octets, candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string[][] GroupNamesByLength()
    {
        int longest = 0;
        foreach (HeaderField entry in s_entries)
        {
            longest = Math.Max(longest, entry.Name.Length);
        }

        var groups = new List<string>[longest + 1];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        foreach (HeaderField entry in s_entries)
        {
            if (!groups[entry.Name.Length].Contains(entry.Name))
            {
                groups[entry.Name.Length].Add(entry.Name);
            }
        }

        var result = new string[groups.Length][];
        for (int i = 0; i < groups.Length; i++)
        {
            result[i] = [.. groups[i]];
        }

        return result;
    }
}
