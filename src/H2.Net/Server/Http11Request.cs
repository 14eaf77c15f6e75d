using System.Globalization;
using System.Text;
using H2.Hpack;

using H2.Net.Transport;

namespace H2.Net.Server;

/// <summary>
/// The head of an HTTP/1.1 request read on a cleartext connection, enough to answer it or to
/// switch it to HTTP/2 with <c>Upgrade: h2c</c> (RFC 7540 §3.2).
/// </summary>
internal sealed class Http11Request
{
    private const int MaxHeadSize = 16 * 1024;
    private const int MaxUpgradeBody = 1 << 20;

    private Http11Request(string method, string target, List<HeaderField> headers, byte[] rest)
    {
        Method = method;
        Target = target;
        Headers = headers;
        Rest = rest;
    }

    public string Method { get; }

    public string Target { get; }

    /// <summary>Fields with lowercased names and trimmed values.</summary>
    public List<HeaderField> Headers { get; }

    /// <summary>Bytes read past the head (the body, or the HTTP/2 preface after an upgrade).</summary>
    public byte[] Rest { get; private set; }

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

    /// <summary>Reads a request head that starts with <paramref name="start"/>; <see langword="null"/> if it is not HTTP/1.x.</summary>
    public static async Task<Http11Request?> ReadAsync(Stream transport, byte[] start, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>(start);
        var chunk = new byte[4096];
        int end;
        while ((end = Http11Head.IndexOfEnd(buffer)) < 0)
        {
            if (buffer.Count > MaxHeadSize)
            {
                return null;
            }

            int read = await transport.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read));
        }

        string[] lines = Encoding.Latin1.GetString(buffer.GetRange(0, end).ToArray()).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        var headers = new List<HeaderField>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new HeaderField(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
            }
        }

        return new Http11Request(requestLine[0], requestLine[1], headers, buffer.GetRange(end + 4, buffer.Count - end - 4).ToArray());
    }

    /// <summary>Reads the body that precedes an upgrade, bounded; <see langword="false"/> if it is too large or cut short.</summary>
    public async Task<bool> ReadBodyAsync(Stream transport, CancellationToken cancellationToken)
    {
        if (Get("content-length") is not string value)
        {
            return Get("transfer-encoding") is null;
        }

        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length) || length > MaxUpgradeBody)
        {
            return false;
        }

        if (length > Rest.Length && Get("expect") is string expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9110 §10.1.1: the client waits for this before sending the body.
            await transport.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var body = new byte[length];
        int have = (int)Math.Min(length, Rest.Length);
        Rest.AsSpan(0, have).CopyTo(body);
        Rest = Rest[have..];
        while (have < length)
        {
            int read = await transport.ReadAsync(body.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            have += read;
        }

        Body = body;
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

        var hopByHop = new HashSet<string>(StringComparer.Ordinal) { "host", "connection", "upgrade", "http2-settings", "keep-alive", "proxy-connection", "transfer-encoding", "te" };
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
        return fields;
    }
}
