using H2;
using H2.Events;

namespace H2.Guides.Advanced;

public static class Tunnels
{
    /// <summary>A server that accepts extended CONNECT (RFC 8441) announces it in its SETTINGS.</summary>
    public static H2Connection NewServer() => new(new H2Configuration { ClientSide = false, EnableConnectProtocol = true });

    /// <summary>Client side: opens a WebSocket tunnel once the server's SETTINGS allowed it.</summary>
    public static int OpenWebSocket(H2Connection client, string authority, string path)
    {
        if (!client.RemoteSettings.EnableConnectProtocol)
        {
            throw new InvalidOperationException("The server does not accept extended CONNECT.");
        }

        int stream = client.GetNextAvailableStreamId();
        client.SendHeaders(stream,
        [
            (":method", "CONNECT"),
            (":protocol", "websocket"),
            (":scheme", "https"),
            (":authority", authority),
            (":path", path),
            ("sec-websocket-version", "13"),
        ]);
        return stream;
    }

    /// <summary>Server side: a 200 opens the tunnel; from then on DATA both ways is the tunnel's bytes.</summary>
    public static bool Accept(H2Connection server, RequestReceived request)
    {
        bool websocket = request.Headers.Any(h => h.Name == ":protocol" && h.Value == "websocket");
        server.SendHeaders(request.StreamId, [(":status", websocket ? "200" : "501")], endStream: !websocket);
        return websocket;
    }
}
