using H2.Hpack;

namespace H2.Events;

/// <summary>A header block that follows the body of a request or response: the trailer fields.</summary>
public sealed class TrailersReceived : Event
{
    internal TrailersReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
    {
        StreamId = streamId;
        Headers = headers;
        StreamEnded = streamEnded;
        PriorityUpdated = priorityUpdated;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The trailer fields (no pseudo-header fields).</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The <see cref="Events.StreamEnded"/> event of the same frame, which always accompanies trailers.</summary>
    public StreamEnded? StreamEnded { get; }

    /// <summary>The <see cref="Events.PriorityUpdated"/> event of the same frame, when it carried RFC 7540 priority fields.</summary>
    public PriorityUpdated? PriorityUpdated { get; }

    /// <inheritdoc/>
    public override string ToString() => $"TrailersReceived(stream {StreamId}, {Headers.Count} headers{(StreamEnded is null ? "" : ", ended")})";
}
