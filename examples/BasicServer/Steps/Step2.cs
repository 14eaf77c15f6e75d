using System.Net;
using System.Net.Sockets;
using H2;

namespace BasicServer.Steps;

public static class Step2
{
    public static void Handle(Socket sock)
    {
        var config = new H2Configuration { ClientSide = false };
        var conn = new H2Connection(config);

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
