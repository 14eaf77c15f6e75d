using System.Net.Sockets;
using H2;

namespace BasicServer.Steps;

public static class Step3
{
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

            Console.WriteLine(string.Join(", ", conn.ReceiveData(buffer.AsSpan(0, received))));
        }
    }
}
