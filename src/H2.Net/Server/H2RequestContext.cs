using System.Net;

namespace H2.Net.Server;

/// <summary>One request being answered.</summary>
public sealed class H2RequestContext
{
    private readonly ServerStream _stream;

    internal H2RequestContext(ServerStream stream, H2ServerRequest request, H2ServerResponse response, EndPoint? remoteEndPoint, bool isTls)
    {
        _stream = stream;
        Request = request;
        Response = response;
        RemoteEndPoint = remoteEndPoint;
        IsTls = isTls;
    }

    /// <summary>Whether nothing was handed out that could outlive the handler (the request's reader, the response's stream).</summary>
    internal bool HandedOutNothing => Request.HandedOutNothing && Response.HandedOutNothing;

    /// <summary>The request.</summary>
    public H2ServerRequest Request { get; }

    /// <summary>The response.</summary>
    public H2ServerResponse Response { get; }

    /// <summary>Fires when the client resets the stream, the connection shuts down, or it is lost.</summary>
    public CancellationToken Aborted => _stream.Aborted;

    /// <summary>The client's address, when the transport is a socket.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Whether the connection is TLS.</summary>
    public bool IsTls { get; }
}
