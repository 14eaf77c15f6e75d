using H2.Hpack;

namespace H2.Net.Client;

/// <summary>
/// Builds the header list of a request from what the caller gave, as <c>HttpClient</c> does for
/// HTTP/2: names are lowercased, the connection-specific fields that HTTP/2 forbids (RFC 9113
/// §8.2.2: connection, keep-alive, proxy-connection, transfer-encoding, upgrade; te other than
/// "trailers") are dropped, and a host field becomes the :authority. Anything else HTTP/2 forbids
/// is left for the connection's checks, which the session reports as an <see cref="ArgumentException"/>.
/// </summary>
internal static class RequestHeaderList
{
    public static List<HeaderField> Build(H2ClientRequest request, string scheme, string defaultAuthority)
    {
        string? host = null;
        var regular = new List<HeaderField>(request.Headers.Count + 1);
        foreach (HeaderField given in request.Headers)
        {
            ArgumentNullException.ThrowIfNull(given.Name, nameof(request));
            ArgumentNullException.ThrowIfNull(given.Value, nameof(request));
            string name = LowerAscii(given.Name);
            if (name.StartsWith(':'))
            {
                throw new ArgumentException($"Header field '{given.Name}': pseudo-header fields are set by the request's method, path and authority, not given as headers.", nameof(request));
            }

            switch (name)
            {
                case "connection" or "keep-alive" or "proxy-connection" or "transfer-encoding" or "upgrade":
                    continue;
                case "te" when !given.Value.Trim().Equals("trailers", StringComparison.OrdinalIgnoreCase):
                    continue;
                case "host":
                    host ??= given.Value;
                    continue;
            }

            regular.Add(given with { Name = name });
        }

        if (request.Priority is { } priority && priority != H2Priority.Default && !regular.Exists(h => h.Name == "priority"))
        {
            regular.Add(("priority", priority.ToString()));
        }

        if (request.Trailers.Count > 0 && request.TrailersAfterBody is null && !regular.Exists(h => h.Name == "trailer"))
        {
            // RFC 9110 §6.6.2: announce the trailer fields; some servers (Go's) drop those not announced.
            regular.Add(("trailer", string.Join(", ", request.Trailers.Select(t => LowerAscii(t.Name)).Distinct(StringComparer.Ordinal))));
        }

        List<HeaderField> headers = new(regular.Count + 4)
        {
            (":method", request.Method),
            (":scheme", scheme),
            (":authority", request.Authority ?? host ?? defaultAuthority),
            (":path", request.Path),
        };
        headers.AddRange(regular);
        return headers;
    }

    /// <summary>Trailer fields with lowercased names; fields HTTP/2 forbids are left for the connection's checks.</summary>
    public static List<HeaderField> Trailers(List<HeaderField> given) =>
        given.ConvertAll(t => t with { Name = LowerAscii(t.Name) });

    private static string LowerAscii(string name)
    {
        foreach (char c in name)
        {
            if (c is >= 'A' and <= 'Z')
            {
                return string.Create(name.Length, name, static (span, source) =>
                {
                    for (int i = 0; i < source.Length; i++)
                    {
                        char ch = source[i];
                        span[i] = ch is >= 'A' and <= 'Z' ? (char)(ch + 32) : ch;
                    }
                });
            }
        }

        return name;
    }
}
