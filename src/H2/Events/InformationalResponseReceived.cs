using H2.Hpack;

namespace H2.Events;

/// <summary>A client received an informational (1xx) response, which precedes the final one.</summary>
public sealed class InformationalResponseReceived : Event
{
    internal InformationalResponseReceived(int streamId, IReadOnlyList<HeaderField> headers, PriorityUpdated? priorityUpdated)
    {
        StreamId = streamId;
        Headers = headers;
        PriorityUpdated = priorityUpdated;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The informational response header fields, :status first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The <see cref="Events.PriorityUpdated"/> event of the same frame, if any.</summary>
    public PriorityUpdated? PriorityUpdated { get; }

    /// <inheritdoc/>
    public override string ToString() => $"InformationalResponseReceived(stream {StreamId}, {Headers.Count} headers)";
}
