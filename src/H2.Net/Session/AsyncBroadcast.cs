namespace H2.Net.Session;

/// <summary>Wakes every current waiter at once; later waiters wait for the next pulse.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2002", Justification = "Internal type; locking on itself spares an object per connection.")]
internal sealed class AsyncBroadcast
{
    // Made when the first waiter comes and dropped by the pulse that wakes it: a pulse nobody
    // waits for costs nothing, and an idle connection holds no task.
    private TaskCompletionSource? _next;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (this)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    public void Pulse()
    {
        TaskCompletionSource? current;
        lock (this)
        {
            current = _next;
            _next = null;
        }

        current?.TrySetResult();
    }
}
