namespace H2.Net.Transport;

/// <summary>
/// An HTTP/1.1 message this endpoint refuses, with the status code that says why (400 for
/// ambiguous or malformed framing, 413, 431, 501) and a reason for the peer.
/// </summary>
internal sealed class Http11Exception(int status, string reason) : Exception(reason)
{
    /// <summary>The HTTP status code of the refusal.</summary>
    public int Status { get; } = status;
}
