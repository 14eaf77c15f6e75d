using System.Net.Sockets;
using H2;
using H2.Events;

namespace BasicServer.Steps;

public static class Step4
{
    public static void SendResponse(H2Connection conn, RequestReceived @event)
    {
        int streamId = @event.StreamId;
        conn.SendHeaders(
            streamId: streamId,
            headers:
            [
                (":status", "200"),
                ("server", "basic-h2-server/1.0"),
            ]);
        conn.SendData(
            streamId: streamId,
            data: "it works!"u8,
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
}
