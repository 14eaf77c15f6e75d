namespace H2.Net.Session;

/// <summary>Wakes every current waiter at once; later waiters wait for the next pulse.</summary>
internal sealed class AsyncBroadcast
{
    private readonly object _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    public void Pulse()
    {
        TaskCompletionSource current;
        lock (_lock)
        {
            current = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        current.TrySetResult();
    }
}
