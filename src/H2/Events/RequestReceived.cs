using H2.Hpack;

namespace H2.Events;

/// <summary>A server received the header block that opens a request stream.</summary>
public sealed class RequestReceived : Event
{
    internal RequestReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
    {
        StreamId = streamId;
        Headers = headers;
        StreamEnded = streamEnded;
        PriorityUpdated = priorityUpdated;
    }

    /// <summary>The stream the request arrived on.</summary>
    public int StreamId { get; }

    /// <summary>The request header fields, pseudo-header fields first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The <see cref="Events.StreamEnded"/> event of the same frame, when the request has no body.</summary>
    public StreamEnded? StreamEnded { get; }

    /// <summary>The <see cref="Events.PriorityUpdated"/> event of the same frame, when it carried RFC 7540 priority fields.</summary>
    public PriorityUpdated? PriorityUpdated { get; }

    /// <inheritdoc/>
    public override string ToString() => $"RequestReceived(stream {StreamId}, {Headers.Count} headers{(StreamEnded is null ? "" : ", ended")})";
}
