using H2.Hpack;

namespace H2.Headers;

/// <summary>The tidying h2 calls normalization: cookie crumbs joined or split, names lowercased, values trimmed.</summary>
internal static class HeaderNormalizer
{
    /// <summary>
    /// Joins several <c>cookie</c> fields into one, crumbs separated by "; ", where the first was
    /// (RFC 9113 §8.2.3). Returns the list unchanged when there is at most one.
    /// </summary>
    public static IReadOnlyList<HeaderField> JoinCookies(IReadOnlyList<HeaderField> fields)
    {
        int first = -1;
        int count = 0;
        for (int i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == "cookie")
            {
                first = first < 0 ? i : first;
                count++;
            }
        }

        if (count < 2)
        {
            return fields;
        }

        var crumbs = new List<string>(count);
        bool sensitive = false;
        var joined = new List<HeaderField>(fields.Count - count + 1);
        foreach (HeaderField field in fields)
        {
            if (field.Name == "cookie")
            {
                crumbs.Add(field.Value);
                sensitive |= field.Sensitive;
            }
        }

        for (int i = 0; i < fields.Count; i++)
        {
            if (i == first)
            {
                joined.Add(new HeaderField("cookie", string.Join("; ", crumbs), sensitive));
            }
            else if (fields[i].Name != "cookie")
            {
                joined.Add(fields[i]);
            }
        }

        return joined;
    }

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
