using System.Threading.Tasks.Sources;

namespace H2.Net.Session;

/// <summary>
/// Wakes one looping waiter (the session's writer) without allocating: <see cref="Set"/> wakes it,
/// or is remembered until its next <see cref="WaitAsync"/>; sets in between collapse into one.
/// The waiter's continuation runs on the thread pool, so it never runs inside the caller of
/// <see cref="Set"/>, and work queued before the wake-up (other responses) is batched with it.
/// </summary>
internal sealed class WakeSignal : IValueTaskSource, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Pending = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
    private int _state;

    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Pending:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Pending, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    // Through the global queue: work the setter's thread has queued locally
                    // (handlers of the same read, say) runs first, and its output is batched.
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
            }
        }
    }

    /// <summary>Waits for the next <see cref="Set"/>; one waiter at a time, awaited before the next call.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Pending) == Pending)
        {
            return default;
        }

        // The previous wait's result has been taken, so the source can be reused.
        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
        {
            return new ValueTask(this, _core.Version);
        }

        // Set in between: take it.
        Volatile.Write(ref _state, Idle);
        return default;
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(true);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
