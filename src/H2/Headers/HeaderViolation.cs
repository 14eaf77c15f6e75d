namespace H2.Headers;

/// <summary>
/// The first rule a header list breaks: the <see cref="HeaderProblem"/> to branch on, and the
/// field name or value it concerns, from which <see cref="Message"/> is written for logs and
/// exception messages.
/// </summary>
internal readonly record struct HeaderViolation(HeaderProblem Problem, string? Detail, MessageKind Kind)
{
    /// <summary>Whether the list broke no rule.</summary>
    public bool IsNone => Problem == HeaderProblem.None;

    /// <summary>The reason in words, or <see langword="null"/> when there is none.</summary>
    public string? Message => Problem switch
    {
        HeaderProblem.None => null,
        HeaderProblem.PseudoHeaderInTrailers => $"Trailers may not contain pseudo-header field '{Detail}'.",
        HeaderProblem.PseudoHeaderAfterRegularField => $"Pseudo-header field '{Detail}' follows a regular field.",
        HeaderProblem.InvalidPseudoHeaderValue => $"Pseudo-header field '{Detail}' has an invalid value.",
        HeaderProblem.PseudoHeaderNotAllowed => $"Pseudo-header field '{Detail}' is not allowed in a {Describe(Kind)}.",
        HeaderProblem.DuplicatePseudoHeader => $"Duplicate pseudo-header field '{Detail}'.",
        HeaderProblem.DuplicateStatus => "Duplicate :status pseudo-header field.",
        HeaderProblem.InvalidStatus => $"Invalid :status '{Detail}'.",
        HeaderProblem.InvalidName => $"Invalid field name '{Detail}'.",
        HeaderProblem.InvalidValue => $"Field '{Detail}' has an invalid value.",
        HeaderProblem.ConnectionSpecificField => $"Connection-specific field '{Detail}' is not allowed in HTTP/2.",
        HeaderProblem.InvalidTe => "The te field may only be 'trailers'.",
        HeaderProblem.InvalidContentLength => $"Invalid content-length '{Detail}'.",
        HeaderProblem.ConflictingContentLength => "Conflicting content-length fields.",
        HeaderProblem.ConflictingHost => "Conflicting host fields.",
        HeaderProblem.MissingMethod => "Request without :method.",
        HeaderProblem.ProtocolWithoutConnect => ":protocol is only allowed with CONNECT.",
        HeaderProblem.ExtendedConnectNotEnabled => "Extended CONNECT (:protocol) was not enabled with SETTINGS_ENABLE_CONNECT_PROTOCOL.",
        HeaderProblem.IncompleteExtendedConnect => "Extended CONNECT needs :scheme, :path and :authority.",
        HeaderProblem.MalformedConnect => "CONNECT needs :authority and no :scheme or :path.",
        HeaderProblem.MissingSchemeOrPath => "Request without :scheme or :path.",
        HeaderProblem.EmptyPath => "Empty :path.",
        HeaderProblem.InvalidPath => $"Invalid :path '{Detail}'.",
        HeaderProblem.AuthorityWithUserinfo => ":authority may not contain userinfo.",
        HeaderProblem.MissingAuthority => $"A request with :scheme {Detail} needs a non-empty :authority or host.",
        HeaderProblem.HostDiffersFromAuthority => "host and :authority differ.",
        HeaderProblem.UnsafePushedMethod => $"A pushed request must be GET or HEAD, not {Detail}.",
        HeaderProblem.MissingStatus => "Response without :status.",
        HeaderProblem.SwitchingProtocols => "101 (Switching Protocols) is not used in HTTP/2.",
        _ => Problem.ToString(),
    };

    private static string Describe(MessageKind kind) => kind switch
    {
        MessageKind.Response => "response",
        MessageKind.Trailers => "trailer section",
        _ => "request",
    };
}
