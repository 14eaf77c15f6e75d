namespace H2.Events;

/// <summary>
/// A server received an RFC 9218 PRIORITY_UPDATE frame: the client set the priority of a
/// request with the text of a Priority field (for example <c>u=1, i</c>).
/// </summary>
public sealed class PriorityUpdateReceived : Event
{
    internal PriorityUpdateReceived(int prioritizedStreamId, string priorityFieldValue)
    {
        PrioritizedStreamId = prioritizedStreamId;
        PriorityFieldValue = priorityFieldValue;
    }

    /// <summary>The stream whose priority is set; it may not be open yet.</summary>
    public int PrioritizedStreamId { get; }

    /// <summary>The Priority field value (RFC 9218 §4), one char per octet.</summary>
    public string PriorityFieldValue { get; }

    /// <inheritdoc/>
    public override string ToString() => $"PriorityUpdateReceived(stream {PrioritizedStreamId}, \"{PriorityFieldValue}\")";
}
