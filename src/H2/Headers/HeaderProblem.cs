namespace H2.Headers;

/// <summary>Why a header list is malformed under RFC 9113 §8.2–8.3 (and RFC 9110, RFC 8441).</summary>
internal enum HeaderProblem
{
    /// <summary>The list is well formed.</summary>
    None,

    /// <summary>A pseudo-header field in a trailer section (§8.1).</summary>
    PseudoHeaderInTrailers,

    /// <summary>A pseudo-header field after a regular field (§8.3).</summary>
    PseudoHeaderAfterRegularField,

    /// <summary>A pseudo-header field whose value holds NUL, CR, LF or edge whitespace (§8.2.1).</summary>
    InvalidPseudoHeaderValue,

    /// <summary>A pseudo-header field not defined for this kind of message (§8.3).</summary>
    PseudoHeaderNotAllowed,

    /// <summary>A pseudo-header field given twice (§8.3).</summary>
    DuplicatePseudoHeader,

    /// <summary>A second <c>:status</c> (§8.3.2).</summary>
    DuplicateStatus,

    /// <summary>A <c>:status</c> that is not three digits from 100 to 999 (RFC 9110 §15).</summary>
    InvalidStatus,

    /// <summary>A field name that is empty or holds a character §8.2.1 forbids.</summary>
    InvalidName,

    /// <summary>A field value that holds NUL, CR, LF or edge whitespace (§8.2.1).</summary>
    InvalidValue,

    /// <summary>A connection-specific field (§8.2.2).</summary>
    ConnectionSpecificField,

    /// <summary>A <c>te</c> field other than <c>trailers</c> (§8.2.2).</summary>
    InvalidTe,

    /// <summary>A <c>content-length</c> that is not one decimal number (RFC 9110 §8.6).</summary>
    InvalidContentLength,

    /// <summary>Two <c>content-length</c> fields that disagree (RFC 9110 §8.6).</summary>
    ConflictingContentLength,

    /// <summary>Two <c>host</c> fields that name different hosts (RFC 9110 §7.2).</summary>
    ConflictingHost,

    /// <summary>A request without <c>:method</c> (§8.3.1).</summary>
    MissingMethod,

    /// <summary><c>:protocol</c> with a method other than CONNECT (RFC 8441 §4).</summary>
    ProtocolWithoutConnect,

    /// <summary><c>:protocol</c> before SETTINGS_ENABLE_CONNECT_PROTOCOL allowed it (RFC 8441 §3).</summary>
    ExtendedConnectNotEnabled,

    /// <summary>An extended CONNECT without <c>:scheme</c>, <c>:path</c> or <c>:authority</c> (RFC 8441 §4).</summary>
    IncompleteExtendedConnect,

    /// <summary>A CONNECT without <c>:authority</c>, or with <c>:scheme</c> or <c>:path</c> (§8.5).</summary>
    MalformedConnect,

    /// <summary>A request without <c>:scheme</c> or <c>:path</c> (§8.3.1).</summary>
    MissingSchemeOrPath,

    /// <summary>An empty <c>:path</c> (§8.3.1).</summary>
    EmptyPath,

    /// <summary>An http(s) <c>:path</c> that neither starts with '/' nor is '*' for OPTIONS (§8.3.1).</summary>
    InvalidPath,

    /// <summary>An http(s) <c>:authority</c> with userinfo (§8.3.1).</summary>
    AuthorityWithUserinfo,

    /// <summary>An http(s) request with neither a non-empty <c>:authority</c> nor <c>host</c> (§8.3.1).</summary>
    MissingAuthority,

    /// <summary>A <c>host</c> that names another entity than <c>:authority</c> (§8.3.1).</summary>
    HostDiffersFromAuthority,

    /// <summary>A pushed request that is not GET or HEAD (§8.4).</summary>
    UnsafePushedMethod,

    /// <summary>A response without <c>:status</c> (§8.3.2).</summary>
    MissingStatus,

    /// <summary>A 101 response, which HTTP/2 does not use (§8.6).</summary>
    SwitchingProtocols,
}
