namespace H2.Events;

/// <summary>The peer ended its side of a stream (END_STREAM): it will send nothing more on it.</summary>
public sealed class StreamEnded : Event
{
    internal StreamEnded(int streamId)
    {
        StreamId = streamId;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <inheritdoc/>
    public override string ToString() => $"StreamEnded(stream {StreamId})";
}
