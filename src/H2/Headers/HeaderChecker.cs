using H2.Hpack;

namespace H2.Headers;

/// <summary>
/// The field rules of RFC 9113 §8.2 and §8.3, applied one field at a time as a block is decoded
/// (or a list we send is walked), then once for the whole message. It keeps the first rule broken
/// and what the connection needs later (pseudo-header fields, status, content-length).
/// </summary>
internal struct HeaderChecker(MessageKind kind)
{
    private MessageInfo _info = new() { ContentLength = -1 };
    private HeaderViolation _violation;
    private bool _regularSeen;

    /// <summary>The kind of message being checked.</summary>
    public readonly MessageKind Kind => kind;

    /// <summary>What the fields so far said.</summary>
    public readonly MessageInfo Info => _info;

    /// <summary>Checks the next field; after the first rule broken, only gathers what it carries.</summary>
    /// <param name="field">The field.</param>
    /// <param name="checkChars">Whether to check the characters of names and values; <see langword="false"/> when the caller found them all plain.</param>
    public void Check(in HeaderField field, bool checkChars = true)
    {
        if (field.Name.Length > 0 && field.Name[0] == ':')
        {
            CheckPseudoHeader(field, checkChars);
        }
        else
        {
            CheckRegularField(field, checkChars);
            _regularSeen = true;
        }
    }

    /// <summary>Checks what only the whole message can tell, and returns the first rule broken.</summary>
    /// <param name="extendedConnectAllowed">Whether SETTINGS_ENABLE_CONNECT_PROTOCOL is on for requests (RFC 8441).</param>
    public readonly HeaderViolation Finish(bool extendedConnectAllowed)
    {
        if (!_violation.IsNone)
        {
            return _violation;
        }

        HeaderProblem problem = kind switch
        {
            MessageKind.Request => CheckRequest(extendedConnectAllowed),
            MessageKind.PushedRequest => CheckRequest(extendedConnectAllowed: false) is var p and not HeaderProblem.None ? p
                : _info.Method is "GET" or "HEAD" ? HeaderProblem.None // RFC 9113 §8.4: promised requests are safe and cacheable.
                : HeaderProblem.UnsafePushedMethod,
            MessageKind.Response => _info.Status switch
            {
                0 => HeaderProblem.MissingStatus,
                101 => HeaderProblem.SwitchingProtocols, // RFC 9113 §8.6: HTTP/2 has no 101.
                _ => HeaderProblem.None,
            },
            _ => HeaderProblem.None,
        };
        string? detail = problem switch
        {
            HeaderProblem.InvalidPath => _info.Path,
            HeaderProblem.MissingAuthority => _info.Scheme,
            HeaderProblem.UnsafePushedMethod => _info.Method,
            _ => null,
        };
        return new HeaderViolation(problem, detail, kind);
    }

    private void CheckPseudoHeader(in HeaderField field, bool checkChars)
    {
        // RFC 9113 §8.3: pseudo-header fields come first, only the defined ones, each once, and
        // never in trailers.
        if (kind == MessageKind.Trailers)
        {
            Fail(HeaderProblem.PseudoHeaderInTrailers, field.Name);
            return;
        }

        if (_regularSeen)
        {
            Fail(HeaderProblem.PseudoHeaderAfterRegularField, field.Name);
            return;
        }

        if (checkChars && !HeaderValidator.IsValidValue(field.Value))
        {
            Fail(HeaderProblem.InvalidPseudoHeaderValue, field.Name);
            return;
        }

        bool request = kind is MessageKind.Request or MessageKind.PushedRequest;
        _ = field.Name switch
        {
            ":method" when request => Assign(ref _info.Method, field),
            ":scheme" when request => Assign(ref _info.Scheme, field),
            ":authority" when request => Assign(ref _info.Authority, field),
            ":path" when request => Assign(ref _info.Path, field),
            ":protocol" when request => Assign(ref _info.Protocol, field),
            ":status" when kind == MessageKind.Response => AssignStatus(field.Value),
            _ => Fail(HeaderProblem.PseudoHeaderNotAllowed, field.Name),
        };
    }

    /// <returns>Whether the field was the first of its name.</returns>
    private bool Assign(ref string? slot, in HeaderField field)
    {
        if (slot is not null)
        {
            return Fail(HeaderProblem.DuplicatePseudoHeader, field.Name);
        }

        slot = field.Value;
        return true;
    }

    private bool AssignStatus(string value)
    {
        if (_info.Status != 0)
        {
            return Fail(HeaderProblem.DuplicateStatus, null);
        }

        // RFC 9110 §15: exactly three digits, 100 to 999.
        if (value.Length != 3 || !char.IsAsciiDigit(value[0]) || !char.IsAsciiDigit(value[1]) || !char.IsAsciiDigit(value[2]) || value[0] == '0')
        {
            return Fail(HeaderProblem.InvalidStatus, value);
        }

        _info.Status = ((value[0] - '0') * 100) + ((value[1] - '0') * 10) + (value[2] - '0');
        return true;
    }

    private void CheckRegularField(in HeaderField field, bool checkChars)
    {
        string name = field.Name;
        if (checkChars && !HeaderValidator.IsValidName(name))
        {
            Fail(HeaderProblem.InvalidName, name);
            return;
        }

        if (checkChars && !HeaderValidator.IsValidValue(field.Value))
        {
            Fail(HeaderProblem.InvalidValue, name);
            return;
        }

        switch (name)
        {
            // RFC 9113 §8.2.2: connection-specific fields are not used in HTTP/2.
            case "connection" or "proxy-connection" or "keep-alive" or "transfer-encoding" or "upgrade":
                Fail(HeaderProblem.ConnectionSpecificField, name);
                break;
            case "te" when !field.Value.Equals("trailers", StringComparison.OrdinalIgnoreCase):
                Fail(HeaderProblem.InvalidTe, null);
                break;
            case "content-length" when kind != MessageKind.Trailers:
                CheckContentLength(field.Value);
                break;
            case "host" when kind is MessageKind.Request or MessageKind.PushedRequest:
                AssignHost(field.Value);
                break;
        }
    }

    private void AssignHost(string value)
    {
        // RFC 9113 §8.3.1, RFC 9110 §7.2: host names one entity; a second field that names another
        // makes the request malformed, whichever of the two :authority agrees with.
        if (_info.Host is not null && !_info.Host.Equals(value, StringComparison.OrdinalIgnoreCase))
        {
            Fail(HeaderProblem.ConflictingHost, null);
            return;
        }

        _info.Host = value;
    }

    private void CheckContentLength(string value)
    {
        // RFC 9110 §8.6: one non-negative decimal number; a repeated field must agree.
        long length = 0;
        if (value.Length == 0 || value.Length > 18)
        {
            Fail(HeaderProblem.InvalidContentLength, value);
            return;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                Fail(HeaderProblem.InvalidContentLength, value);
                return;
            }

            length = (length * 10) + (c - '0');
        }

        if (_info.ContentLength >= 0 && _info.ContentLength != length)
        {
            Fail(HeaderProblem.ConflictingContentLength, null);
            return;
        }

        _info.ContentLength = length;
    }

    private readonly HeaderProblem CheckRequest(bool extendedConnectAllowed)
    {
        MessageInfo info = _info;
        if (info.Method is null)
        {
            return HeaderProblem.MissingMethod;
        }

        if (info.Protocol is not null)
        {
            // RFC 8441 §4: extended CONNECT carries :protocol, :scheme, :path and :authority.
            if (info.Method != "CONNECT")
            {
                return HeaderProblem.ProtocolWithoutConnect;
            }

            if (!extendedConnectAllowed)
            {
                return HeaderProblem.ExtendedConnectNotEnabled;
            }

            if (info.Scheme is null || info.Path is null || info.Authority is null)
            {
                return HeaderProblem.IncompleteExtendedConnect;
            }
        }
        else if (info.Method == "CONNECT")
        {
            // RFC 9113 §8.5: CONNECT has :authority and neither :scheme nor :path.
            return info.Authority is null || info.Scheme is not null || info.Path is not null ? HeaderProblem.MalformedConnect : HeaderProblem.None;
        }
        else if (info.Scheme is null || info.Path is null)
        {
            return HeaderProblem.MissingSchemeOrPath;
        }

        if (info.Path!.Length == 0)
        {
            return HeaderProblem.EmptyPath;
        }

        // RFC 9113 §8.3.1: http(s) paths start with '/', or are '*' for OPTIONS; their authority
        // has no userinfo and is mandatory, so such a request carries a non-empty :authority or
        // host (RFC 9110 §4.2.1), and a host that names another entity is malformed.
        bool http = info.Scheme is "http" or "https";
        return http && info.Path[0] != '/' && !(info.Path == "*" && info.Method == "OPTIONS") ? HeaderProblem.InvalidPath
            : http && info.Authority is not null && info.Authority.Contains('@', StringComparison.Ordinal) ? HeaderProblem.AuthorityWithUserinfo
            : http && string.IsNullOrEmpty(info.Authority) && string.IsNullOrEmpty(info.Host) ? HeaderProblem.MissingAuthority
            : info.Host is not null && info.Authority is not null && !info.Host.Equals(info.Authority, StringComparison.OrdinalIgnoreCase) ? HeaderProblem.HostDiffersFromAuthority
            : HeaderProblem.None;
    }

    /// <summary>Keeps the first rule broken; later ones add nothing.</summary>
    /// <returns><see langword="false"/>, for the check that failed to return.</returns>
    private bool Fail(HeaderProblem problem, string? detail)
    {
        if (_violation.IsNone)
        {
            _violation = new HeaderViolation(problem, detail, kind);
        }

        return false;
    }
}
