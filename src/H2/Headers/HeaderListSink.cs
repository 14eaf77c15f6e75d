using H2.Hpack;

namespace H2.Headers;

/// <summary>
/// Receives a peer's header block field by field as HPACK decodes it: each field is checked
/// against RFC 9113 §8.2–8.3 and kept, and <c>cookie</c> crumbs are joined into the first cookie
/// field (§8.2.3), all in the one walk over the block. The first rule broken is kept while
/// decoding goes on, so the compression context stays in step.
/// </summary>
internal struct HeaderListSink : IHeaderSink
{
    private List<HeaderField> _fields;
    private HeaderChecker _checker;
    private bool _joinCookies;

    // The first cookie field's place in the list, and the crumbs of the later ones.
    private int _cookieIndex;
    private List<string>? _crumbs;
    private bool _cookieSensitive;

    /// <summary>Starts a block of the given kind, keeping its fields in <paramref name="fields"/> (cleared first).</summary>
    public void Begin(List<HeaderField> fields, MessageKind kind, bool joinCookies)
    {
        fields.Clear();
        _fields = fields;
        _checker = new HeaderChecker(kind);
        _joinCookies = joinCookies;
        _cookieIndex = -1;
        _crumbs = null;
        _cookieSensitive = false;
    }

    /// <inheritdoc/>
    public void OnField(in HeaderField field)
    {
        _checker.Check(field);
        if (_joinCookies && field.Name == "cookie")
        {
            if (_cookieIndex < 0)
            {
                _cookieIndex = _fields.Count;
                _fields.Add(field);
                _cookieSensitive = field.Sensitive;
                return;
            }

            _crumbs ??= [];
            _crumbs.Add(field.Value);
            _cookieSensitive |= field.Sensitive;
            return;
        }

        _fields.Add(field);
    }

    /// <summary>Ends the block: the fields as an array of their own, the first rule broken, and what they said.</summary>
    /// <param name="extendedConnectAllowed">Whether SETTINGS_ENABLE_CONNECT_PROTOCOL is on for requests (RFC 8441).</param>
    /// <param name="violation">The first rule broken, if any.</param>
    /// <param name="info">The pseudo-header fields, status and content-length.</param>
    public readonly HeaderField[] Finish(bool extendedConnectAllowed, out HeaderViolation violation, out MessageInfo info)
    {
        violation = _checker.Finish(extendedConnectAllowed);
        info = _checker.Info;
        if (_crumbs is not null)
        {
            // RFC 9113 §8.2.3: crumbs are joined with "; " in the order they came.
            string first = _fields[_cookieIndex].Value;
            _fields[_cookieIndex] = new HeaderField("cookie", first + "; " + string.Join("; ", _crumbs), _cookieSensitive);
        }

        return [.. _fields];
    }
}
