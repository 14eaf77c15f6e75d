using H2.Hpack;

namespace H2.Events;

/// <summary>A client received the final response header block of a stream.</summary>
public sealed class ResponseReceived : HeadersReceived
{
    internal ResponseReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
        : base(streamId, headers, streamEnded, priorityUpdated)
    {
    }
}
