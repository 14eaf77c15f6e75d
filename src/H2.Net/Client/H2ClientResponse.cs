using System.Globalization;
using H2.Hpack;

namespace H2.Net.Client;

/// <summary>A response received by an <see cref="H2Client"/>: status and headers at once, the body as it arrives.</summary>
public sealed class H2ClientResponse
{
    internal H2ClientResponse(int streamId, IReadOnlyList<HeaderField> headers, H2BodyStream body, IReadOnlyList<IReadOnlyList<HeaderField>> informational)
    {
        StreamId = streamId;
        Headers = headers;
        Body = body;
        InformationalResponses = informational;
        string? status = HeaderLookup.Find(headers, ":status");
        StatusCode = int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : 0;
    }

    /// <summary>The stream the response arrived on.</summary>
    public int StreamId { get; }

    /// <summary>The status code.</summary>
    public int StatusCode { get; }

    /// <summary>The header fields, :status first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The body; read it to the end to see the trailers.</summary>
    public H2BodyStream Body { get; }

    /// <summary>The trailer fields, once the body has ended (<see langword="null"/> if none).</summary>
    public IReadOnlyList<HeaderField>? Trailers => Body.Trailers;

    /// <summary>Informational (1xx) responses that came before this one, in order: the first 16 (a server that sends more is flooding).</summary>
    public IReadOnlyList<IReadOnlyList<HeaderField>> InformationalResponses { get; }

    /// <summary>The value of the first field with this name, or <see langword="null"/>.</summary>
    /// <param name="name">A field name, in any case (field names are case-insensitive, RFC 9110 §5.1).</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? GetHeader(string name) => HeaderLookup.Find(Headers, name);
}
