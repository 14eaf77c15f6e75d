using H2.Hpack;

namespace H2.Events;

/// <summary>A client received a PUSH_PROMISE: the server will push a response on a new stream.</summary>
public sealed class PushedStreamReceived : Event
{
    internal PushedStreamReceived(int pushedStreamId, int parentStreamId, IReadOnlyList<HeaderField> headers)
    {
        PushedStreamId = pushedStreamId;
        ParentStreamId = parentStreamId;
        Headers = headers;
    }

    /// <summary>The stream the pushed response will arrive on.</summary>
    public int PushedStreamId { get; }

    /// <summary>The client stream the promise was sent on.</summary>
    public int ParentStreamId { get; }

    /// <summary>The request header fields the server promises to answer.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <inheritdoc/>
    public override string ToString() => $"PushedStreamReceived(stream {PushedStreamId} on {ParentStreamId})";
}
