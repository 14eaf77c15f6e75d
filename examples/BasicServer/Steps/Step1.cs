using System.Net;
using System.Net.Sockets;

namespace BasicServer.Steps;

public static class Step1
{
    public static void Run()
    {
        using var sock = new Socket(SocketType.Stream, ProtocolType.Tcp);
        sock.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        sock.Bind(new IPEndPoint(IPAddress.Any, 8080));
        sock.Listen(5);

        while (true)
        {
            Console.WriteLine(sock.Accept().RemoteEndPoint);
        }
    }
}
