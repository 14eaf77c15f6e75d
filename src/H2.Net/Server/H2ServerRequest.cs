using System.IO.Pipelines;
using H2.Hpack;

namespace H2.Net.Server;

/// <summary>A request received by an <see cref="H2Server"/>.</summary>
public sealed class H2ServerRequest
{
    private readonly ServerStream _stream;

    internal H2ServerRequest(ServerStream stream, IReadOnlyList<HeaderField> headers, bool canHaveBody)
    {
        _stream = stream;
        Renew(headers, canHaveBody);
    }

    /// <summary>Takes the header fields of the stream's (new) request.</summary>
    internal void Renew(IReadOnlyList<HeaderField> headers, bool canHaveBody)
    {
        CanHaveBody = canHaveBody;
        StreamId = _stream.Id;
        Headers = headers;
        Method = string.Empty;
        Scheme = string.Empty;
        Path = string.Empty;
        Authority = null;
        Protocol = null;
        _bodyReader = null;
        for (int i = 0; i < headers.Count; i++)
        {
            HeaderField field = headers[i];
            switch (field.Name)
            {
                case ":method":
                    Method = field.Value;
                    break;
                case ":scheme":
                    Scheme = field.Value;
                    break;
                case ":authority":
                    Authority = field.Value;
                    break;
                case ":path":
                    Path = field.Value;
                    break;
                case ":protocol":
                    Protocol = field.Value;
                    break;
                case "host":
                    Authority ??= field.Value;
                    break;
            }
        }
    }

    /// <summary>Whether no body reader was handed out.</summary>
    internal bool HandedOutNothing => _bodyReader is null;

    /// <summary>
    /// The least rate at which the body must arrive while the handler waits to read it, or
    /// <see langword="null"/> for none; starts as <see cref="H2ServerOptions.MinRequestBodyDataRate"/>.
    /// Turn it off for streams that stay open and quiet by design (long polls, gRPC streaming).
    /// </summary>
    public MinDataRate? MinBodyDataRate { get; set; }

    /// <summary>The HTTP/2 stream the request arrived on.</summary>
    public int StreamId { get; private set; }

    /// <summary>The method, such as GET.</summary>
    public string Method { get; private set; } = string.Empty;

    /// <summary>The scheme, http or https (empty for CONNECT).</summary>
    public string Scheme { get; private set; } = string.Empty;

    /// <summary>The authority (host and port), from :authority or host.</summary>
    public string? Authority { get; private set; }

    /// <summary>The path and query (empty for CONNECT).</summary>
    public string Path { get; private set; } = string.Empty;

    /// <summary>The :protocol of an extended CONNECT (RFC 8441), if any.</summary>
    public string? Protocol { get; private set; }

    /// <summary>All header fields, pseudo-header fields first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; private set; } = [];

    /// <summary>The request body; read it to the end to see <see cref="H2BodyStream.Trailers"/>.</summary>
    public H2BodyStream Body => _stream.Body;

    /// <summary>The request body as a <see cref="PipeReader"/>, over <see cref="Body"/>; use one or the other.</summary>
    public PipeReader BodyReader => _bodyReader ??= PipeReader.Create(Body, new StreamPipeReaderOptions(leaveOpen: true));

    private PipeReader? _bodyReader;

    /// <summary>The value of the first field with this name, or <see langword="null"/>.</summary>
    /// <param name="name">A field name, in any case (field names are case-insensitive, RFC 9110 §5.1).</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? GetHeader(string name) => HeaderLookup.Find(Headers, name);

    /// <summary>
    /// Whether the request can have a body: false when its header block ended the stream (as a
    /// GET usually does), so a proxy knows whether to forward content without waiting for any.
    /// </summary>
    public bool CanHaveBody { get; private set; }

    /// <summary>The content-length the request declared, or <see langword="null"/> (the connection has checked it is a valid number and matches the body).</summary>
    public long? ContentLength => long.TryParse(GetHeader("content-length"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length) ? length : null;
}
