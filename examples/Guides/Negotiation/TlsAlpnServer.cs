using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using H2;
using H2.Events;

namespace H2.Guides.Negotiation;

public static class TlsAlpnServer
{
    public static async Task ServeAsync(X509Certificate2 certificate, int port, CancellationToken cancellationToken)
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket = await listener.AcceptAsync(cancellationToken);
            _ = HandleAsync(socket, certificate, cancellationToken);
        }
    }

    private static async Task HandleAsync(Socket socket, X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));

        // Offer h2 first; RFC 9113 §9.2 asks for TLS 1.2 or later (browsers use 1.3).
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            },
            cancellationToken);

        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            // The client did not offer h2: this server speaks nothing else.
            return;
        }

        var connection = new H2Connection(new H2Configuration { ClientSide = false });
        connection.InitiateConnection();
        await tls.WriteAsync(connection.DataToSend(), cancellationToken);

        var buffer = new byte[16384];
        int read;
        while ((read = await tls.ReadAsync(buffer, cancellationToken)) > 0)
        {
            foreach (Event @event in connection.ReceiveData(buffer.AsSpan(0, read)))
            {
                if (@event is RequestReceived request)
                {
                    connection.SendHeaders(request.StreamId, [(":status", "200"), ("content-length", "3")]);
                    connection.SendData(request.StreamId, "ok\n"u8.ToArray(), endStream: true);
                }
            }

            await tls.WriteAsync(connection.DataToSend(), cancellationToken);
        }
    }
}
