using H2.Hpack;

namespace H2.Events;

/// <summary>A client received an informational (1xx) response, which precedes the final one; it never ends the stream.</summary>
public sealed class InformationalResponseReceived : HeadersReceived
{
    internal InformationalResponseReceived(int streamId, IReadOnlyList<HeaderField> headers, PriorityUpdated? priorityUpdated)
        : base(streamId, headers, null, priorityUpdated)
    {
    }
}
