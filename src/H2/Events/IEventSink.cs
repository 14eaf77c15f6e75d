namespace H2.Events;

/// <summary>
/// Takes the events of <see cref="H2Connection.ReceiveData(ReadOnlySpan{byte}, IEventSink)"/> one
/// by one as the connection produces them, so that no list is built: an I/O layer routes each to
/// the stream's object that comes with it.
/// </summary>
/// <remarks>
/// The connection is mid-way through its input while the sink runs. The sink may read the
/// connection's state and give flow-control credit back (<see cref="H2Connection.AcknowledgeReceivedData(int, int)"/>,
/// <see cref="H2Connection.IncrementFlowControlWindow"/>) and attach objects to streams
/// (<see cref="H2Connection.SetStreamUserData"/>); anything that sends on or closes a stream must
/// wait until the receive call returns (it throws <see cref="InvalidOperationException"/> here).
/// An exception from the sink ends the connection with GOAWAY INTERNAL_ERROR and propagates.
/// </remarks>
public interface IEventSink
{
    /// <summary>One event.</summary>
    /// <param name="receivedEvent">What the peer did.</param>
    /// <param name="streamUserData">
    /// The object attached to the event's stream with <see cref="H2Connection.SetStreamUserData"/>,
    /// also when the event closes the stream (a reset, say); for <see cref="PushedStreamReceived"/>,
    /// the object of the stream the promise came on. <see langword="null"/> when none is attached
    /// or the event concerns no stream.
    /// </param>
    void OnEvent(Event receivedEvent, object? streamUserData);
}
