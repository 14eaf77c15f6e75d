using System.Net;
using System.Net.Sockets;
using H2.Events;

namespace H2.Net.Tests;

/// <summary>
/// A hand-scripted HTTP/2 server for client tests: the sans-I/O core over one accepted socket, with
/// the test deciding what to do with each event (answer, stay silent, misbehave).
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <param name="configuration">The server connection's configuration.</param>
    /// <param name="onEvent">Called for each event with the connection; what it queues is sent.</param>
    /// <param name="sendPreface">Whether to send SETTINGS at all (a server that never does).</param>
    public ScriptedServer(H2Configuration configuration, Action<H2Connection, Event> onEvent, bool sendPreface = true)
    {
        _listener.Start();
        _serving = ServeAsync(configuration, onEvent, sendPreface);
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every event the server received, in order.</summary>
    public List<Event> Received { get; } = [];

    private async Task ServeAsync(H2Configuration configuration, Action<H2Connection, Event> onEvent, bool sendPreface)
    {
        try
        {
            using Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
            var connection = new H2Connection(configuration);
            connection.InitiateConnection();
            if (sendPreface)
            {
                await socket.SendAsync(connection.DataToSend(), _stop.Token);
            }
            else
            {
                connection.ClearOutboundDataBuffer();
            }

            byte[] buffer = new byte[65536];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, _stop.Token)) > 0)
            {
                IReadOnlyList<Event> events = connection.ReceiveData(buffer.AsSpan(0, read));
                foreach (Event @event in events)
                {
                    lock (Received)
                    {
                        Received.Add(@event);
                    }

                    onEvent(connection, @event);
                }

                byte[] reply = connection.DataToSend();
                if (sendPreface && reply.Length > 0)
                {
                    await socket.SendAsync(reply, _stop.Token);
                }
                else if (!sendPreface)
                {
                    connection.ClearOutboundDataBuffer();
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ProtocolException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
