namespace H2.Net.Session;

/// <summary>Wakes every current waiter at once; later waiters wait for the next pulse.</summary>
internal sealed class AsyncBroadcast
{
    private readonly object _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Whether _next has been handed to a waiter; a pulse nobody waits for costs nothing.
    private bool _observed;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _observed = true;
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    public void Pulse()
    {
        TaskCompletionSource current;
        lock (_lock)
        {
            if (!_observed)
            {
                return;
            }

            current = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _observed = false;
        }

        current.TrySetResult();
    }
}
