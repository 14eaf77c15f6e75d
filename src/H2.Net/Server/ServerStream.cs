using H2.Net.Session;

namespace H2.Net.Server;

/// <summary>A stream of the server: the session stream plus the request being answered on it.</summary>
internal sealed class ServerStream(H2Session session, int id) : SessionStream(session, id)
{
    public H2RequestContext? Context { get; set; }
}
