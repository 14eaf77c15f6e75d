using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using H2;
using H2.Events;

namespace BasicServer.Steps;

public static class Step6
{
    public static void SendResponse(H2Connection conn, RequestReceived @event)
    {
        int streamId = @event.StreamId;
        byte[] responseData = JsonSerializer.SerializeToUtf8Bytes(
            @event.Headers.GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.Last().Value));

        conn.SendHeaders(
            streamId: streamId,
            headers:
            [
                (":status", "200"),
                ("server", "basic-h2-server/1.0"),
                ("content-length", responseData.Length.ToString(CultureInfo.InvariantCulture)),
                ("content-type", "application/json"),
            ]);
        conn.SendData(
            streamId: streamId,
            data: responseData,
            endStream: true);
    }

    public static void Handle(Socket sock)
    {
        var config = new H2Configuration { ClientSide = false };
        var conn = new H2Connection(config);
        conn.InitiateConnection();
        sock.Send(conn.DataToSend());

        var buffer = new byte[65535];
        while (true)
        {
            int received = sock.Receive(buffer);
            if (received == 0)
            {
                break;
            }

            foreach (Event @event in conn.ReceiveData(buffer.AsSpan(0, received)))
            {
                if (@event is RequestReceived request)
                {
                    SendResponse(conn, request);
                }
            }

            byte[] dataToSend = conn.DataToSend();
            if (dataToSend.Length > 0)
            {
                sock.Send(dataToSend);
            }
        }
    }

    public static void Run()
    {
        using var sock = new Socket(SocketType.Stream, ProtocolType.Tcp);
        sock.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        sock.Bind(new IPEndPoint(IPAddress.Any, 8080));
        sock.Listen(5);

        while (true)
        {
            using Socket client = sock.Accept();
            Handle(client);
        }
    }
}
