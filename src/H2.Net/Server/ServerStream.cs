using H2.Net.Session;

namespace H2.Net.Server;

/// <summary>
/// A stream of the server: the session stream plus the request being answered on it. It is also
/// the thread-pool work item that runs the request's handler.
/// </summary>
internal sealed class ServerStream(H2ServerSession session, int id) : SessionStream(session, id), IThreadPoolWorkItem
{
    public H2RequestContext? Context { get; set; }

    void IThreadPoolWorkItem.Execute() => _ = session.RunHandlerAsync(this);
}
