using H2.Hpack;

namespace H2.Events;

/// <summary>A server received the header block that opens a request stream.</summary>
public sealed class RequestReceived : HeadersReceived
{
    internal RequestReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
        : base(streamId, headers, streamEnded, priorityUpdated)
    {
    }
}
