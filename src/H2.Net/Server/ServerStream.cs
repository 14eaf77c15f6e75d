using H2.Net.Session;

namespace H2.Net.Server;

/// <summary>
/// A stream of the server: the session stream plus the request being answered on it. It is also
/// the thread-pool work item that runs the request's handler. Once a request is finished and
/// nothing of it was handed out that could outlive the handler, the record, its context, request
/// and response serve the connection's next request (as Kestrel reuses its streams).
/// </summary>
internal sealed class ServerStream(H2ServerSession session, int id) : SessionStream(session, id), IThreadPoolWorkItem
{
    public H2RequestContext? Context { get; set; }

    /// <summary>Whether the stream carries a pushed response, which runs no handler and is never reused.</summary>
    public bool Pushed { get; init; }

    /// <summary>Whether the finished request's objects may serve another; called under the session lock.</summary>
    public bool Reusable => !Pushed && Forgotten && HandedOutNothing && Context is { } context && context.HandedOutNothing;

    /// <summary>Makes the record new for stream <paramref name="id"/>; called under the session lock.</summary>
    public ServerStream Reuse(int id)
    {
        Renew(id);
        return this;
    }

    void IThreadPoolWorkItem.Execute() => _ = session.RunHandlerAsync(this);
}
