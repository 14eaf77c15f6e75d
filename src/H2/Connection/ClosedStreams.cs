namespace H2.Connection;

/// <summary>
/// Remembers how recently closed streams closed, up to a bound, forgetting the oldest first, so
/// that late frames get the right answer while memory stays flat however many streams a
/// connection carries.
/// </summary>
internal sealed class ClosedStreams(int capacity)
{
    private readonly Dictionary<int, StreamCloseReason> _reasons = [];
    private readonly Queue<int> _order = new();

    public int Count => _reasons.Count;

    public void Remember(int streamId, StreamCloseReason reason)
    {
        if (capacity <= 0)
        {
            return;
        }

        if (_reasons.TryAdd(streamId, reason))
        {
            _order.Enqueue(streamId);
            if (_order.Count > capacity)
            {
                _reasons.Remove(_order.Dequeue());
            }
        }
        else
        {
            _reasons[streamId] = reason;
        }
    }

    public StreamCloseReason ReasonFor(int streamId) =>
        _reasons.TryGetValue(streamId, out StreamCloseReason reason) ? reason : StreamCloseReason.Unknown;
}
