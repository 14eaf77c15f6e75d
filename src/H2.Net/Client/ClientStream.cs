using H2.Hpack;
using H2.Net.Session;

namespace H2.Net.Client;

/// <summary>A stream of the client: the session stream plus the response being awaited on it.</summary>
internal sealed class ClientStream(H2Session session, int id) : SessionStream(session, id)
{
    public TaskCompletionSource<H2ClientResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<IReadOnlyList<HeaderField>> Informational { get; } = [];

    /// <summary>Resets the stream when the caller's token fires, for as long as the stream lives.</summary>
    public CancellationTokenRegistration Cancellation { get; set; }

    // Unregister, not Dispose: Dispose would wait for a running callback, which waits for the session lock we hold.
    public override void Released() => Cancellation.Unregister();

    /// <summary>When the request (or the promise) was sent (<see cref="Environment.TickCount64"/>), for the response timeout.</summary>
    public long OpenedAt { get; } = Environment.TickCount64;

    public override void Abort(ErrorCode code, Exception error)
    {
        base.Abort(code, error);
        if (Failure is OperationCanceledException cancelled)
        {
            // As HttpClient: a cancelled request is a cancelled task, carrying the caller's token.
            Response.TrySetCanceled(cancelled.CancellationToken);
        }
        else
        {
            Response.TrySetException(Failure!);
        }
    }
}
