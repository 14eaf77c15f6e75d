using H2.Hpack;

namespace H2.Events;

/// <summary>A client received the final response header block of a stream.</summary>
public sealed class ResponseReceived : Event
{
    internal ResponseReceived(int streamId, IReadOnlyList<HeaderField> headers, StreamEnded? streamEnded, PriorityUpdated? priorityUpdated)
    {
        StreamId = streamId;
        Headers = headers;
        StreamEnded = streamEnded;
        PriorityUpdated = priorityUpdated;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The response header fields, :status first.</summary>
    public IReadOnlyList<HeaderField> Headers { get; }

    /// <summary>The <see cref="Events.StreamEnded"/> event of the same frame, when the response has no body.</summary>
    public StreamEnded? StreamEnded { get; }

    /// <summary>The <see cref="Events.PriorityUpdated"/> event of the same frame, when it carried RFC 7540 priority fields.</summary>
    public PriorityUpdated? PriorityUpdated { get; }

    /// <inheritdoc/>
    public override string ToString() => $"ResponseReceived(stream {StreamId}, {Headers.Count} headers{(StreamEnded is null ? "" : ", ended")})";
}
