using System.Net.Security;
using System.Net.Sockets;

namespace H2.Net.Transport;

/// <summary>A transport that can stop sending while it goes on receiving.</summary>
internal interface IHalfClosable
{
    /// <summary>Signals the end of what we send (TCP FIN, TLS close_notify, a completed pipe).</summary>
    ValueTask HalfCloseAsync();
}

/// <summary>
/// Closing gently: say "no more from us" and keep reading until the peer closes, so that data it
/// has received but not yet read is not thrown away by a TCP reset.
/// </summary>
internal static class HalfClose
{
    public static async ValueTask SendEndAsync(Stream transport)
    {
        try
        {
            switch (transport)
            {
                case IHalfClosable closable:
                    await closable.HalfCloseAsync().ConfigureAwait(false);
                    break;
                case SslStream ssl:
                    await ssl.ShutdownAsync().ConfigureAwait(false);
                    break;
                case NetworkStream network:
                    network.Socket.Shutdown(SocketShutdown.Send);
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Already closed: nothing more to say.
        }
    }
}

/// <summary>TLS that half-closes all the way down: close_notify, then the socket's sending side.</summary>
internal sealed class HalfClosableSslStream(Stream inner) : SslStream(inner, leaveInnerStreamOpen: false), IHalfClosable
{
    public async ValueTask HalfCloseAsync()
    {
        await ShutdownAsync().ConfigureAwait(false);
        await HalfClose.SendEndAsync(InnerStream).ConfigureAwait(false);
    }
}
