using H2.Hpack;

namespace H2.Headers;

/// <summary>
/// The tidying h2 calls normalization, for the lists we send: names lowercased, values trimmed,
/// cookie crumbs split. (Inbound, <see cref="HeaderListSink"/> joins crumbs as it receives them.)
/// </summary>
internal static class HeaderNormalizer
{
    /// <summary>
    /// Lowercases names, trims spaces and tabs around values and, if asked, splits <c>cookie</c>
    /// fields into one field per crumb. Returns the list unchanged when nothing needs doing.
    /// </summary>
    public static IReadOnlyList<HeaderField> NormalizeOutbound(IReadOnlyList<HeaderField> fields, bool splitCookies)
    {
        if (!NeedsWork(fields, splitCookies))
        {
            return fields;
        }

        var result = new List<HeaderField>(fields.Count + 4);
        foreach (HeaderField field in fields)
        {
            string name = field.Name is null ? null! : HasUpper(field.Name) ? field.Name.ToLowerInvariant() : field.Name;
            string value = field.Value?.Trim(' ', '\t')!;
            if (splitCookies && name == "cookie" && value.Contains("; ", StringComparison.Ordinal))
            {
                foreach (string crumb in value.Split("; "))
                {
                    result.Add(new HeaderField(name, crumb, field.Sensitive));
                }
            }
            else
            {
                result.Add(new HeaderField(name, value, field.Sensitive));
            }
        }

        return result;
    }

    private static bool NeedsWork(IReadOnlyList<HeaderField> fields, bool splitCookies)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            HeaderField field = fields[i];
            if (field.Name is null || field.Value is null)
            {
                continue;
            }

            if (HasUpper(field.Name)
                || (field.Value.Length > 0 && (field.Value[0] is ' ' or '\t' || field.Value[^1] is ' ' or '\t'))
                || (splitCookies && field.Name == "cookie" && field.Value.Contains("; ", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasUpper(string text) => text.AsSpan().ContainsAnyInRange('A', 'Z');
}
