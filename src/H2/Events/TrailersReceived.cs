using H2.Hpack;

namespace H2.Events;

/// <summary>A header block that follows the body of a request or response: the trailer fields (no pseudo-header fields); it always ends the stream.</summary>
public sealed class TrailersReceived : HeadersReceived
{
    internal TrailersReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
        : base(streamId, headers, streamEnded, priorityUpdated)
    {
    }
}
