using H2.Hpack;

namespace H2.Net;

/// <summary>Finds header fields by name as RFC 9110 §5.1 says: case-insensitively.</summary>
internal static class HeaderLookup
{
    public static string? Find(IReadOnlyList<HeaderField> fields, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return fields[i].Value;
            }
        }

        return null;
    }

    public static bool Contains(List<HeaderField>? fields, string name)
    {
        if (fields is null)
        {
            return false;
        }

        foreach (HeaderField field in fields)
        {
            if (string.Equals(field.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
