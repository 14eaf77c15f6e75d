using System.Globalization;
using System.Text;
using H2.Hpack;
using H2.Net.Transport;

namespace H2.Net.Server;

/// <summary>
/// The head of an HTTP/1.1 request read on a cleartext connection, enough to answer it or to
/// switch it to HTTP/2 with <c>Upgrade: h2c</c> (RFC 7540 §3.2). The head is parsed strictly
/// (RFC 9112 §2 to §6): anything that two parsers could read two ways, the stuff of request
/// smuggling behind an HTTP/1.1 proxy, is refused with 400 before any upgrade.
/// </summary>
internal sealed class Http11Request
{
    private const int MaxHeadSize = 16 * 1024;
    private const int MaxUpgradeBody = 1 << 20;

    private static readonly string s_tooLarge = $"A request that upgrades to h2c may carry at most {MaxUpgradeBody} octets of body; send larger bodies over HTTP/2.";

    private Http11Request(string method, string target, string version, List<HeaderField> headers, byte[] rest, long? contentLength, bool chunked)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
        Rest = rest;
        ContentLength = contentLength;
        Chunked = chunked;
    }

    public string Method { get; }

    public string Target { get; }

    /// <summary>HTTP/1.0 or HTTP/1.1.</summary>
    public string Version { get; }

    /// <summary>Fields with lowercased names and trimmed values.</summary>
    public List<HeaderField> Headers { get; }

    /// <summary>Bytes read past the head (the body, or the HTTP/2 preface after an upgrade).</summary>
    public byte[] Rest { get; private set; }

    /// <summary>The body's length from Content-Length, when it has one.</summary>
    public long? ContentLength { get; }

    /// <summary>Whether the body comes in chunked transfer coding.</summary>
    public bool Chunked { get; }

    /// <summary>The request body, read before an upgrade (RFC 7540 §3.2).</summary>
    public byte[] Body { get; private set; } = [];

    public string? Http2Settings => Get("http2-settings");

    /// <summary>Whether the client asks to switch to h2c, with the fields RFC 7540 §3.2 requires.</summary>
    public bool WantsH2c =>
        Get("upgrade") is string upgrade && upgrade.Split(',').Any(p => p.Trim().Equals("h2c", StringComparison.OrdinalIgnoreCase))
        && Http2Settings is not null
        && Get("connection") is string connection
        && connection.Split(',').Any(p => p.Trim().Equals("http2-settings", StringComparison.OrdinalIgnoreCase));

    public string? Get(string name) => Headers.FirstOrDefault(h => h.Name == name).Value;

    /// <summary>
    /// Reads a request head that starts with <paramref name="start"/>; <see langword="null"/> if the
    /// client closes before it ends.
    /// </summary>
    /// <exception cref="Http11Exception">The head is too large (431) or malformed (400).</exception>
    public static async Task<Http11Request?> ReadAsync(Stream transport, byte[] start, CancellationToken cancellationToken)
    {
        if (await Http11Head.ReadAsync(transport, start, MaxHeadSize, cancellationToken).ConfigureAwait(false) is not (byte[] head, byte[] rest))
        {
            return null;
        }

        return Parse(Encoding.Latin1.GetString(head), rest);
    }

    private static Http11Request Parse(string head, byte[] rest)
    {
        string[] lines = head.Split("\r\n");
        string[] requestLine = lines[0].Split(' ');

        // RFC 9112 §3: method SP request-target SP HTTP-version, nothing more.
        if (requestLine.Length != 3 || !IsToken(requestLine[0]) || requestLine[1].Length == 0 || requestLine[1].AsSpan().ContainsAny('\t', '\r', '\n')
            || requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            throw BadRequest("The request line is not 'method target HTTP/1.x'.");
        }

        var headers = new List<HeaderField>(lines.Length - 1);
        foreach (string line in lines.AsSpan(1))
        {
            headers.Add(ParseFieldLine(line));
        }

        (long? length, bool chunked) = CheckFraming(headers);
        var request = new Http11Request(requestLine[0], requestLine[1], requestLine[2], headers, rest, length, chunked);

        // RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host; none, or two, is a 400.
        int hosts = headers.Count(h => h.Name == "host");
        if (hosts > 1 || (hosts == 0 && request.Version == "HTTP/1.1"))
        {
            throw BadRequest(hosts > 1 ? "More than one Host field." : "An HTTP/1.1 request without Host.");
        }

        return request;
    }

    private static HeaderField ParseFieldLine(string line)
    {
        if (line.Length > 0 && line[0] is ' ' or '\t')
        {
            // RFC 9112 §5.2: obsolete line folding; a server rejects it (or rewrites it), never guesses.
            throw BadRequest("A folded field line (obs-fold).");
        }

        int colon = line.IndexOf(':', StringComparison.Ordinal);

        // RFC 9112 §5.1: no whitespace between the field name and the colon (400, for smuggling's sake).
        if (colon <= 0 || !IsToken(line.AsSpan(0, colon)))
        {
            throw BadRequest(colon > 0 && line[colon - 1] is ' ' or '\t' ? "Whitespace between a field name and its colon." : "A field line without a valid name and colon.");
        }

        string value = line[(colon + 1)..].Trim(' ', '\t');

        // RFC 9110 §5.5: CR, LF and NUL are never part of a value, nor are other controls but HTAB.
        foreach (char c in value)
        {
            if (c < ' ' && c != '\t' || c == '\u007f')
            {
                throw BadRequest($"A control character (0x{(int)c:x2}) in the value of {line[..colon]}.");
            }
        }

        return new HeaderField(line[..colon].ToLowerInvariant(), value);
    }

    /// <summary>RFC 9112 §6: the body's framing, or 400/501 when it is ambiguous or unknown.</summary>
    private static (long? Length, bool Chunked) CheckFraming(List<HeaderField> headers)
    {
        long? length = null;
        string? transferCoding = null;
        foreach (HeaderField field in headers)
        {
            if (field.Name == "content-length")
            {
                // §6.3: a list of equal values may stand for one; different values are an error.
                foreach (string part in field.Value.Split(','))
                {
                    string item = part.Trim(' ', '\t');
                    if (item.Length is 0 or > 18 || !long.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                    {
                        throw BadRequest($"Invalid Content-Length '{field.Value}'.");
                    }

                    if (length is long seen && seen != value)
                    {
                        throw BadRequest("Content-Length fields that disagree.");
                    }

                    length = value;
                }
            }
            else if (field.Name == "transfer-encoding")
            {
                transferCoding = transferCoding is null ? field.Value : $"{transferCoding}, {field.Value}";
            }
        }

        if (transferCoding is null)
        {
            return (length, false);
        }

        if (length is not null)
        {
            // §6.3: both is how smuggling begins; a server may reject it, and this one does.
            throw BadRequest("Both Transfer-Encoding and Content-Length.");
        }

        if (!transferCoding.Trim(' ', '\t').Equals("chunked", StringComparison.OrdinalIgnoreCase))
        {
            // §6.1: a transfer coding the server does not understand is 501 (chunked must be last).
            throw new Http11Exception(501, $"Transfer-Encoding '{transferCoding}' is not supported; only chunked is.");
        }

        return (null, true);
    }

    /// <summary>Reads the body that precedes an upgrade, bounded; <see langword="false"/> if the client closes first.</summary>
    /// <exception cref="Http11Exception">The body is larger than an upgrade may carry (413) or its chunks are malformed (400).</exception>
    public async Task<bool> ReadBodyAsync(Stream transport, CancellationToken cancellationToken)
    {
        if (ContentLength is null && !Chunked)
        {
            return true;
        }

        if (ContentLength > MaxUpgradeBody)
        {
            throw new Http11Exception(413, s_tooLarge);
        }

        if ((ContentLength > Rest.Length || (Chunked && Rest.Length == 0)) && Get("expect") is string expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 §10.1.1: the client waits for this before sending the body.
            await transport.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var reader = new Http11BodyReader(transport, Rest);
        byte[]? body = Chunked
            ? await reader.ReadChunkedAsync(MaxUpgradeBody, s_tooLarge, cancellationToken).ConfigureAwait(false)
            : await reader.ReadExactlyAsync((int)ContentLength!.Value, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return false;
        }

        Body = body;
        Rest = reader.Rest;
        return true;
    }

    /// <summary>
    /// The request as HTTP/2 fields: pseudo-header fields (an absolute-form target split into
    /// authority and path, RFC 9112 §3.2.2), then the end-to-end fields: hop-by-hop fields and
    /// those the Connection field names are dropped (RFC 9110 §7.6.1).
    /// </summary>
    public List<HeaderField> ToHttp2Headers(bool tls)
    {
        string path = Target;
        string authority = Get("host") ?? string.Empty;
        if (Uri.TryCreate(Target, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https")
        {
            path = absolute.PathAndQuery;
            authority = absolute.IsDefaultPort ? absolute.Host : $"{absolute.Host}:{absolute.Port}";
        }

        var hopByHop = new HashSet<string>(StringComparer.Ordinal) { "host", "connection", "upgrade", "http2-settings", "keep-alive", "proxy-connection", "transfer-encoding", "te", "content-length" };
        foreach (string listed in (Get("connection") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            hopByHop.Add(listed.ToLowerInvariant());
        }

        List<HeaderField> fields =
        [
            (":method", Method),
            (":scheme", tls ? "https" : "http"),
            (":authority", authority),
            (":path", path),
        ];
        fields.AddRange(Headers.Where(field => !hopByHop.Contains(field.Name)));
        if (Body.Length > 0 || ContentLength is not null)
        {
            // The body was read whole: say its length, whatever framing carried it.
            fields.Add(("content-length", Body.Length.ToString(CultureInfo.InvariantCulture)));
        }

        return fields;
    }

    private static Http11Exception BadRequest(string reason) => new(400, reason);

    // RFC 9110 §5.6.2: token = 1*tchar.
    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
