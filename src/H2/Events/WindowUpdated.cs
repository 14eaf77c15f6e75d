namespace H2.Events;

/// <summary>The peer opened a flow-control window: more data may be sent.</summary>
public sealed class WindowUpdated : Event
{
    internal WindowUpdated(int streamId, int delta)
    {
        StreamId = streamId;
        Delta = delta;
    }

    /// <summary>The stream whose window grew, or 0 for the connection window.</summary>
    public int StreamId { get; }

    /// <summary>By how much the window grew.</summary>
    public int Delta { get; }

    /// <inheritdoc/>
    public override string ToString() => $"WindowUpdated(stream {StreamId}, +{Delta})";
}
