using System.Net.Sockets;
using H2;
using H2.Events;

namespace H2.Guides.Negotiation;

public static class PriorKnowledgeClient
{
    /// <summary>GETs a path over cleartext HTTP/2 and returns the status and body.</summary>
    public static async Task<(string Status, byte[] Body)> GetAsync(string host, int port, string path)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(host, port);

        // Prior knowledge: the client preface goes first, no Upgrade.
        var connection = new H2Connection(new H2Configuration { ClientSide = true });
        connection.InitiateConnection();
        int stream = connection.GetNextAvailableStreamId();
        connection.SendHeaders(stream, [(":method", "GET"), (":scheme", "http"), (":authority", $"{host}:{port}"), (":path", path)], endStream: true);
        await socket.SendAsync(connection.DataToSend());

        string status = "";
        var body = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                throw new IOException("The server closed the connection before the response ended.");
            }

            foreach (Event @event in connection.ReceiveData(buffer.AsSpan(0, read)))
            {
                switch (@event)
                {
                    case ResponseReceived response when response.StreamId == stream:
                        status = response.Headers.First(h => h.Name == ":status").Value;
                        break;
                    case DataReceived data when data.StreamId == stream:
                        body.Write(data.Data.Span);
                        connection.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                        break;
                    case StreamEnded ended when ended.StreamId == stream:
                        connection.CloseConnection();
                        await socket.SendAsync(connection.DataToSend());
                        return (status, body.ToArray());
                }
            }

            await socket.SendAsync(connection.DataToSend());
        }
    }
}
