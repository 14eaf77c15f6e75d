namespace H2.Net.Session;

/// <summary>
/// Who queues body data next when the transport is behind, in the order of RFC 9218 §10: lower
/// urgency first; within an urgency, non-incremental streams one after another in stream order,
/// then incremental ones in turn (a stream that has had its turn goes to the back). Each turn lets
/// one stream add up to one chunk to the connection's queue, so what is queued next is always the
/// most urgent data waiting. Guarded by the session lock.
/// </summary>
internal sealed class WriteTurns
{
    private readonly List<Waiter>[] _byUrgency = [.. Enumerable.Range(0, 8).Select(_ => new List<Waiter>())];
    private long _sequence;
    private int _count;

    /// <summary>Whether a stream is waiting at <paramref name="urgency"/> or a more urgent one.</summary>
    public bool AnyWaitingAtOrAbove(int urgency)
    {
        for (int u = 0; u <= urgency && u < _byUrgency.Length; u++)
        {
            if (_byUrgency[u].Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many streams wait.</summary>
    public int Count => _count;

    /// <summary>Puts a stream in line; the task completes when it is its turn.</summary>
    public Task Enqueue(SessionStream stream, H2Priority priority, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(stream, priority.Incremental, ++_sequence);
        _byUrgency[Math.Clamp(priority.Urgency, 0, 7)].Add(waiter);
        _count++;
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.Register(static state => ((Waiter)state!).Turn.TrySetCanceled(), waiter);
        }

        return waiter.Turn.Task;
    }

    /// <summary>Gives the turn to the first in line, skipping those no longer waiting; returns whether anyone had it.</summary>
    public bool GrantNext()
    {
        while (TakeFirst() is Waiter waiter)
        {
            waiter.Cancellation.Unregister();
            if (waiter.Turn.TrySetResult())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gives every waiter its turn (the transport closed: each will find out).</summary>
    public void GrantAll()
    {
        while (GrantNext())
        {
        }
    }

    private Waiter? TakeFirst()
    {
        foreach (List<Waiter> line in _byUrgency)
        {
            if (line.Count == 0)
            {
                continue;
            }

            // Non-incremental first, lowest stream first; else the incremental one waiting longest.
            int best = -1;
            for (int i = 0; i < line.Count; i++)
            {
                Waiter candidate = line[i];
                if (best < 0 || Before(candidate, line[best]))
                {
                    best = i;
                }
            }

            Waiter taken = line[best];
            line.RemoveAt(best);
            _count--;
            return taken;
        }

        return null;
    }

    private static bool Before(Waiter a, Waiter b) =>
        a.Incremental != b.Incremental ? !a.Incremental
        : !a.Incremental ? a.Stream.Id < b.Stream.Id
        : a.Sequence < b.Sequence;

    private sealed class Waiter(SessionStream stream, bool incremental, long sequence)
    {
        public SessionStream Stream { get; } = stream;

        public bool Incremental { get; } = incremental;

        public long Sequence { get; } = sequence;

        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
