using H2.Events;

namespace H2.Connection;

/// <summary>The sink behind the list-returning receive methods: gathers a call's events in order.</summary>
internal sealed class EventList : IEventSink
{
    // A list that grew past this for one huge batch is dropped rather than kept for the connection's lifetime.
    private const int MaxKeptCapacity = 1024;

    private readonly List<Event> _events = new(8);

    /// <summary>A sink for the time between receive calls, when nothing may be added.</summary>
    public static EventList None { get; } = new();

    public int Count => _events.Count;

    public void Add(Event item) => _events.Add(item);

    public void OnEvent(Event receivedEvent, object? streamUserData) => _events.Add(receivedEvent);

    public Event[] ToArray() => _events.ToArray();

    /// <summary>Empties the list; returns whether it is small enough to keep for the next call.</summary>
    public bool Clear()
    {
        _events.Clear();
        return _events.Capacity <= MaxKeptCapacity;
    }
}
