using H2.Hpack;

namespace H2.Net.Client;

/// <summary>A response the server pushed (RFC 9113 §8.4): the promised request, and its response when it comes.</summary>
public sealed class H2PushedResponse
{
    internal H2PushedResponse(int streamId, int parentStreamId, IReadOnlyList<HeaderField> requestHeaders, Task<H2ClientResponse> response)
    {
        StreamId = streamId;
        ParentStreamId = parentStreamId;
        RequestHeaders = requestHeaders;
        Response = response;
    }

    /// <summary>The pushed stream.</summary>
    public int StreamId { get; }

    /// <summary>The request stream the promise came on.</summary>
    public int ParentStreamId { get; }

    /// <summary>The promised request's header fields.</summary>
    public IReadOnlyList<HeaderField> RequestHeaders { get; }

    /// <summary>The pushed response.</summary>
    public Task<H2ClientResponse> Response { get; }

    /// <summary>The promised request's path.</summary>
    public string? Path => RequestHeaders.FirstOrDefault(h => h.Name == ":path").Value;
}
