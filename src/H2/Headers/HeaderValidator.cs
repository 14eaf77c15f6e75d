using System.Buffers;
using H2.Hpack;

namespace H2.Headers;

/// <summary>
/// The field rules of RFC 9113 §8.2 and §8.3 as small checks run in one pass over a header list.
/// Each check returns <see langword="null"/> when the block passes, else the reason it is malformed.
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

    /// <summary>Checks a header list of the given kind and gathers what the connection needs from it.</summary>
    /// <param name="fields">The fields in order.</param>
    /// <param name="kind">Request, response, trailers or pushed request.</param>
    /// <param name="extendedConnectAllowed">Whether SETTINGS_ENABLE_CONNECT_PROTOCOL is on for requests (RFC 8441).</param>
    /// <param name="info">Receives the pseudo-header fields, status and content-length.</param>
    /// <param name="checkChars">Whether to check the characters of names and values; <see langword="false"/> when the caller found them all plain.</param>
    public static string? Validate(IReadOnlyList<HeaderField> fields, MessageKind kind, bool extendedConnectAllowed, out MessageInfo info, bool checkChars = true)
    {
        info = new MessageInfo { ContentLength = -1 };
        bool regularSeen = false;
        for (int i = 0; i < fields.Count; i++)
        {
            HeaderField field = fields[i];
            string? error = field.Name.StartsWith(':')
                ? CheckPseudoHeader(field, kind, regularSeen, checkChars, ref info)
                : CheckRegularField(field, kind, checkChars, ref info);
            if (error is not null)
            {
                return error;
            }

            regularSeen |= !field.Name.StartsWith(':');
        }

        return kind switch
        {
            MessageKind.Request => CheckRequest(info, extendedConnectAllowed),
            MessageKind.PushedRequest => CheckRequest(info, extendedConnectAllowed: false) ?? CheckPushedMethod(info),
            MessageKind.Response => CheckResponse(info),
            _ => null,
        };
    }

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

    private static string? CheckPseudoHeader(in HeaderField field, MessageKind kind, bool regularSeen, bool checkChars, ref MessageInfo info)
    {
        // RFC 9113 §8.3: pseudo-header fields come first, only the defined ones, each once, and
        // never in trailers.
        if (kind == MessageKind.Trailers)
        {
            return $"Trailers may not contain pseudo-header field '{field.Name}'.";
        }

        if (regularSeen)
        {
            return $"Pseudo-header field '{field.Name}' follows a regular field.";
        }

        if (checkChars && !IsValidValue(field.Value))
        {
            return $"Pseudo-header field '{field.Name}' has an invalid value.";
        }

        bool request = kind is MessageKind.Request or MessageKind.PushedRequest;
        switch (field.Name)
        {
            case ":method" when request:
                return Assign(ref info.Method, field);
            case ":scheme" when request:
                return Assign(ref info.Scheme, field);
            case ":authority" when request:
                return Assign(ref info.Authority, field);
            case ":path" when request:
                return Assign(ref info.Path, field);
            case ":protocol" when request:
                return Assign(ref info.Protocol, field);
            case ":status" when kind == MessageKind.Response:
                return AssignStatus(field.Value, ref info);
            default:
                return $"Pseudo-header field '{field.Name}' is not allowed in a {Describe(kind)}.";
        }
    }

    private static string? Assign(ref string? slot, in HeaderField field)
    {
        if (slot is not null)
        {
            return $"Duplicate pseudo-header field '{field.Name}'.";
        }

        slot = field.Value;
        return null;
    }

    private static string? AssignStatus(string value, ref MessageInfo info)
    {
        if (info.Status != 0)
        {
            return "Duplicate :status pseudo-header field.";
        }

        // RFC 9110 §15: exactly three digits, 100 to 999.
        if (value.Length != 3 || !char.IsAsciiDigit(value[0]) || !char.IsAsciiDigit(value[1]) || !char.IsAsciiDigit(value[2]) || value[0] == '0')
        {
            return $"Invalid :status '{value}'.";
        }

        info.Status = ((value[0] - '0') * 100) + ((value[1] - '0') * 10) + (value[2] - '0');
        return null;
    }

    private static string? CheckRegularField(in HeaderField field, MessageKind kind, bool checkChars, ref MessageInfo info)
    {
        string name = field.Name;
        if (checkChars && !IsPlainName(name) && (name.Length == 0 || name.AsSpan().IndexOfAny(s_invalidNameChars) >= 0))
        {
            return $"Invalid field name '{name}'.";
        }

        if (checkChars && !IsValidValue(field.Value))
        {
            return $"Field '{name}' has an invalid value.";
        }

        switch (name)
        {
            // RFC 9113 §8.2.2: connection-specific fields are not used in HTTP/2.
            case "connection" or "proxy-connection" or "keep-alive" or "transfer-encoding" or "upgrade":
                return $"Connection-specific field '{name}' is not allowed in HTTP/2.";

            case "te" when !field.Value.Equals("trailers", StringComparison.OrdinalIgnoreCase):
                return "The te field may only be 'trailers'.";

            case "content-length" when kind != MessageKind.Trailers:
                return CheckContentLength(field.Value, ref info);

            case "host" when kind is MessageKind.Request or MessageKind.PushedRequest:
                return AssignHost(field.Value, ref info);
        }

        return null;
    }

    private static string? AssignHost(string value, ref MessageInfo info)
    {
        // RFC 9113 §8.3.1, RFC 9110 §7.2: host names one entity; a second field that names another
        // makes the request malformed, whichever of the two :authority agrees with.
        if (info.Host is not null && !info.Host.Equals(value, StringComparison.OrdinalIgnoreCase))
        {
            return "Conflicting host fields.";
        }

        info.Host = value;
        return null;
    }

    private static string? CheckContentLength(string value, ref MessageInfo info)
    {
        // RFC 9110 §8.6: one non-negative decimal number; a repeated field must agree.
        long length = 0;
        if (value.Length == 0 || value.Length > 18)
        {
            return $"Invalid content-length '{value}'.";
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return $"Invalid content-length '{value}'.";
            }

            length = (length * 10) + (c - '0');
        }

        if (info.ContentLength >= 0 && info.ContentLength != length)
        {
            return "Conflicting content-length fields.";
        }

        info.ContentLength = length;
        return null;
    }

    private static string? CheckRequest(in MessageInfo info, bool extendedConnectAllowed)
    {
        if (info.Method is null)
        {
            return "Request without :method.";
        }

        if (info.Protocol is not null)
        {
            // RFC 8441 §4: extended CONNECT carries :protocol, :scheme, :path and :authority.
            if (info.Method != "CONNECT")
            {
                return ":protocol is only allowed with CONNECT.";
            }

            if (!extendedConnectAllowed)
            {
                return "Extended CONNECT (:protocol) was not enabled with SETTINGS_ENABLE_CONNECT_PROTOCOL.";
            }

            if (info.Scheme is null || info.Path is null || info.Authority is null)
            {
                return "Extended CONNECT needs :scheme, :path and :authority.";
            }
        }
        else if (info.Method == "CONNECT")
        {
            // RFC 9113 §8.5: CONNECT has :authority and neither :scheme nor :path.
            if (info.Authority is null || info.Scheme is not null || info.Path is not null)
            {
                return "CONNECT needs :authority and no :scheme or :path.";
            }

            return null;
        }
        else if (info.Scheme is null || info.Path is null)
        {
            return "Request without :scheme or :path.";
        }

        if (info.Path!.Length == 0)
        {
            return "Empty :path.";
        }

        // RFC 9113 §8.3.1: http(s) paths start with '/', or are '*' for OPTIONS.
        bool http = info.Scheme is "http" or "https";
        if (http && info.Path[0] != '/' && !(info.Path == "*" && info.Method == "OPTIONS"))
        {
            return $"Invalid :path '{info.Path}'.";
        }

        if (http && info.Authority is not null && info.Authority.Contains('@', StringComparison.Ordinal))
        {
            return ":authority may not contain userinfo.";
        }

        // RFC 9113 §8.3.1: http and https have a mandatory authority component, so such a request
        // carries :authority or host; an empty one names no host (RFC 9110 §4.2.1).
        if (http && string.IsNullOrEmpty(info.Authority) && string.IsNullOrEmpty(info.Host))
        {
            return $"A request with :scheme {info.Scheme} needs a non-empty :authority or host.";
        }

        // RFC 9113 §8.3.1: a host field that names another entity than :authority is malformed.
        if (info.Host is not null && info.Authority is not null && !info.Host.Equals(info.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return "host and :authority differ.";
        }

        return null;
    }

    // RFC 9113 §8.4: promised requests are safe and cacheable.
    private static string? CheckPushedMethod(in MessageInfo info) =>
        info.Method is "GET" or "HEAD" ? null : $"A pushed request must be GET or HEAD, not {info.Method}.";

    private static string? CheckResponse(in MessageInfo info) => info.Status switch
    {
        0 => "Response without :status.",

        // RFC 9113 §8.6: HTTP/2 has no 101 (Switching Protocols).
        101 => "101 (Switching Protocols) is not used in HTTP/2.",
        _ => null,
    };

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

    private static string Describe(MessageKind kind) => kind switch
    {
        MessageKind.Response => "response",
        MessageKind.Trailers => "trailer section",
        _ => "request",
    };

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
