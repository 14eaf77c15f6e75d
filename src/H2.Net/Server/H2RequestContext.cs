using System.Net;

namespace H2.Net.Server;

/// <summary>One request being answered.</summary>
public sealed class H2RequestContext
{
    internal H2RequestContext(H2ServerRequest request, H2ServerResponse response, EndPoint? remoteEndPoint, bool isTls, CancellationToken aborted)
    {
        Request = request;
        Response = response;
        Aborted = aborted;
        RemoteEndPoint = remoteEndPoint;
        IsTls = isTls;
    }

    /// <summary>The request.</summary>
    public H2ServerRequest Request { get; }

    /// <summary>The response.</summary>
    public H2ServerResponse Response { get; }

    /// <summary>Fires when the client resets the stream, the connection shuts down, or it is lost.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>The client's address, when the transport is a socket.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Whether the connection is TLS.</summary>
    public bool IsTls { get; }
}
