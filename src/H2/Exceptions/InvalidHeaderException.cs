namespace H2;

/// <summary>
/// A header list we were asked to send breaks a rule of RFC 9113 §8.2–8.3 or RFC 9110 (a
/// connection-specific field, a misplaced pseudo-header, a bad character), or exceeds the peer's
/// SETTINGS_MAX_HEADER_LIST_SIZE. Nothing was queued; the message names the field and the rule.
/// </summary>
public sealed class InvalidHeaderException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The field and the rule it breaks.</param>
    public InvalidHeaderException(string message)
        : base(ErrorCode.ProtocolError, message)
    {
    }
}
