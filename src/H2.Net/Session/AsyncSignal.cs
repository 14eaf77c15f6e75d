namespace H2.Net.Session;

/// <summary>
/// An auto-resetting signal for one waiter at a time: <see cref="Set"/> wakes the waiter, or is
/// remembered until the next <see cref="WaitAsync"/>. Sets between waits collapse into one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2002", Justification = "Internal type; locking on itself spares an object per stream.")]
internal sealed class AsyncSignal
{
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (this)
        {
            waiter = _waiter;
            _waiter = null;
            _set = waiter is null;
        }

        waiter?.TrySetResult();
    }

    public Task WaitAsync(CancellationToken cancellationToken = default)
    {
        lock (this)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return cancellationToken.CanBeCanceled ? _waiter.Task.WaitAsync(cancellationToken) : _waiter.Task;
        }
    }
}
