using H2.Hpack;

namespace H2.Net.Client;

/// <summary>A request for <see cref="H2Client.SendAsync"/>.</summary>
public sealed class H2ClientRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="method">The method, such as GET or POST.</param>
    /// <param name="path">The path and query, starting with '/'.</param>
    public H2ClientRequest(string method, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Method = method;
        Path = path;
    }

    /// <summary>The method.</summary>
    public string Method { get; }

    /// <summary>The path and query.</summary>
    public string Path { get; }

    /// <summary>The authority; the connection's by default.</summary>
    public string? Authority { get; init; }

    /// <summary>More header fields (lowercase names).</summary>
    public List<HeaderField> Headers { get; } = [];

    /// <summary>
    /// The priority to ask of the server (RFC 9218), sent as the <c>priority</c> header field;
    /// it orders this request's body among the connection's uploads too. <see langword="null"/>
    /// (the default) asks nothing, which servers take as urgency 3, not incremental.
    /// </summary>
    public H2Priority? Priority { get; init; }

    /// <summary>A body held in memory.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>A body read from a stream, after <see cref="Content"/>.</summary>
    public Stream? ContentStream { get; init; }

    /// <summary>Trailer fields, sent after the body (announced in a <c>trailer</c> header field unless the request has one).</summary>
    public List<HeaderField> Trailers { get; } = [];

    /// <summary>
    /// Asked for more trailer fields once <see cref="ContentStream"/> has ended, for trailers that
    /// are known only then: a proxy forwarding a request body's trailers
    /// (<see cref="H2BodyStream.Trailers"/>), a checksum of what was sent. They follow
    /// <see cref="Trailers"/>; with none at all, the request ends with an empty DATA frame.
    /// </summary>
    public Func<IReadOnlyList<HeaderField>?>? TrailersAfterBody { get; init; }
}
