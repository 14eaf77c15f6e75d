using System.Net.Sockets;
using H2;
using H2.Events;

namespace H2.Guides.Packages;

public static class SansIoServer
{
    /// <summary>Serves one accepted connection: bytes in, events out; actions in, bytes out.</summary>
    public static void Serve(Socket socket)
    {
        var conn = new H2Connection(new H2Configuration { ClientSide = false });
        conn.InitiateConnection();
        socket.Send(conn.DataToSend());

        var buffer = new byte[65536];
        while (socket.Receive(buffer) is int n and > 0)
        {
            foreach (Event e in conn.ReceiveData(buffer.AsSpan(0, n)))
            {
                if (e is RequestReceived request)
                {
                    conn.SendHeaders(request.StreamId, [(":status", "200"), ("content-length", "5")]);
                    conn.SendData(request.StreamId, "hello"u8, endStream: true);
                }
            }

            socket.Send(conn.DataToSend());
        }
    }
}
