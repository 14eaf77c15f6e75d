namespace H2.Events;

/// <summary>
/// The peer sent RFC 7540 priority information for a stream (a PRIORITY frame, or HEADERS with
/// priority fields). RFC 9113 deprecates this scheme; H2Sharp reports it and keeps no tree.
/// </summary>
public sealed class PriorityUpdated : Event
{
    internal PriorityUpdated(int streamId, int weight, int dependsOn, bool exclusive)
    {
        StreamId = streamId;
        Weight = weight;
        DependsOn = dependsOn;
        Exclusive = exclusive;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The weight, 1 to 256.</summary>
    public int Weight { get; }

    /// <summary>The stream it depends on; 0 for none.</summary>
    public int DependsOn { get; }

    /// <summary>Whether the dependency is exclusive.</summary>
    public bool Exclusive { get; }

    /// <inheritdoc/>
    public override string ToString() => $"PriorityUpdated(stream {StreamId}, weight {Weight}, on {DependsOn}{(Exclusive ? ", exclusive" : "")})";
}
