using H2.Hpack;

namespace H2.Events;

/// <summary>
/// The common shape of the events that carry a header block: a request, a response, an
/// informational response or trailers. Handle this type to treat them alike.
/// </summary>
public abstract class HeadersReceived : Event
{
    private protected HeadersReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
    {
        StreamId = streamId;
        Headers = headers;
        StreamEnded = streamEnded;
        PriorityUpdated = priorityUpdated;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The header fields, pseudo-header fields first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The <see cref="Events.StreamEnded"/> event of the same frame, when the block ended the stream.</summary>
    public StreamEnded? StreamEnded { get; }

    /// <summary>The <see cref="Events.PriorityUpdated"/> event of the same frame, when it carried RFC 7540 priority fields.</summary>
    public PriorityUpdated? PriorityUpdated { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(stream {StreamId}, {Headers.Count} headers{(StreamEnded is null ? "" : ", ended")})";
}
