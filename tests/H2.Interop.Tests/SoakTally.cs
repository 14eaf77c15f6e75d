using System.Collections.Concurrent;

namespace H2.Interop.Tests;

/// <summary>
/// The shared side of the soak load: the request budget every connection draws from, and the
/// outcomes they report. The budget stops at each pause point until <see cref="Resume"/>, so the
/// server's memory can be read there with the load stopped, as it is at the end. Thread-safe: the
/// connections run on the thread pool.
/// </summary>
internal sealed class SoakTally
{
    private const int KeptFailures = 20;

    private readonly int _total;
    private readonly int[] _pauses;
    private readonly TaskCompletionSource[] _pauseReached;
    private readonly TaskCompletionSource[] _pauseEnded;
    private readonly ConcurrentQueue<string> _failures = new();
    private int _pause;
    private int _claimed;
    private int _finished;
    private long _completed;
    private long _resetEarly;
    private long _resetLate;
    private long _refused;
    private long _failed;
    private long _pingsSent;
    private long _pingsAcknowledged;
    private long _settingsSent;
    private long _settingsAcknowledged;
    private long _goAways;
    private long _bodyBytes;

    /// <param name="total">How many requests the load makes in all.</param>
    /// <param name="pauses">After how many requests the load pauses, in increasing order.</param>
    public SoakTally(int total, params int[] pauses)
    {
        _total = total;
        _pauses = pauses;
        _pauseReached = [.. pauses.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        _pauseEnded = [.. pauses.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
    }

    /// <summary>How many requests the load makes in all.</summary>
    public int Total => _total;

    /// <summary>Requests that got their whole response (END_STREAM) with the expected status and length.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    /// <summary>Requests we reset with CANCEL right after sending them.</summary>
    public long ResetEarly => Interlocked.Read(ref _resetEarly);

    /// <summary>Requests we reset with CANCEL when the response headers arrived.</summary>
    public long ResetLate => Interlocked.Read(ref _resetLate);

    /// <summary>Streams the server refused (REFUSED_STREAM); each was sent again and is not a request of its own.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Requests that ended badly: another reset by the server, a wrong status or body length.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The first few failures, described.</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    public long PingsSent => Interlocked.Read(ref _pingsSent);

    public long PingsAcknowledged => Interlocked.Read(ref _pingsAcknowledged);

    public long SettingsSent => Interlocked.Read(ref _settingsSent);

    public long SettingsAcknowledged => Interlocked.Read(ref _settingsAcknowledged);

    /// <summary>Server GOAWAY frames received; a healthy soak has none.</summary>
    public long GoAways => Interlocked.Read(ref _goAways);

    /// <summary>Response body octets received on streams that completed.</summary>
    public long BodyBytes => Interlocked.Read(ref _bodyBytes);

    /// <summary>Whether requests are left to take, now or after the pause in force.</summary>
    public bool HasBudget => Volatile.Read(ref _claimed) < _total;

    /// <summary>Completes when the pause in force, if any, ends.</summary>
    public Task PauseEnded
    {
        get
        {
            int pause = Volatile.Read(ref _pause);
            return pause < _pauses.Length ? _pauseEnded[pause].Task : Task.CompletedTask;
        }
    }

    /// <summary>Completes when the requests before pause <paramref name="index"/> have all finished, however they finished.</summary>
    public Task PauseReached(int index) => _pauseReached[index].Task;

    /// <summary>Takes one request from the budget; false once all have been taken, and during a pause.</summary>
    public bool TryClaim()
    {
        while (true)
        {
            int pause = Volatile.Read(ref _pause);
            int limit = pause < _pauses.Length ? Math.Min(_pauses[pause], _total) : _total;
            int claimed = Volatile.Read(ref _claimed);
            if (claimed >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _claimed, claimed + 1, claimed) == claimed)
            {
                return true;
            }
        }
    }

    /// <summary>Ends the pause in force: the budget opens up to the next pause point first, then the waiting connections go on.</summary>
    public void Resume()
    {
        int pause = Interlocked.Increment(ref _pause) - 1;
        _pauseEnded[pause].TrySetResult();
    }

    public void Complete(long bodyBytes)
    {
        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _bodyBytes, bodyBytes);
        Finish();
    }

    public void Reset(bool early)
    {
        if (early)
        {
            Interlocked.Increment(ref _resetEarly);
        }
        else
        {
            Interlocked.Increment(ref _resetLate);
        }

        Finish();
    }

    public void Fail(string description)
    {
        if (Interlocked.Increment(ref _failed) <= KeptFailures)
        {
            _failures.Enqueue(description);
        }

        Finish();
    }

    public void Refuse() => Interlocked.Increment(ref _refused);

    public void PingSent() => Interlocked.Increment(ref _pingsSent);

    public void PingAcknowledged() => Interlocked.Increment(ref _pingsAcknowledged);

    public void SettingsSentOnce() => Interlocked.Increment(ref _settingsSent);

    public void SettingsAcknowledgedOnce() => Interlocked.Increment(ref _settingsAcknowledged);

    public void GoAwayReceived() => Interlocked.Increment(ref _goAways);

    private void Finish()
    {
        int finished = Interlocked.Increment(ref _finished);
        int index = Array.IndexOf(_pauses, finished);
        if (index >= 0)
        {
            _pauseReached[index].TrySetResult();
        }
    }
}
