using System.Net;
using System.Net.Sockets;
using H2.Events;
using H2.Hpack;

namespace H2.Interop.Tests;

/// <summary>
/// An attacker's connection: its own receive windows are 0, so the server's answers cannot flow
/// and its handlers stall writing them; meanwhile it opens as many POST streams as the server
/// allows and sends request body, in frames of a chosen size, as long as the server's windows let
/// it. What the server then holds is what a peer can make it buffer.
/// </summary>
internal sealed class BodyFloodClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly H2Connection _h2 = new(new H2Configuration { ClientSide = true, InitialWindowSize = 0 });
    private readonly byte[] _buffer = new byte[64 * 1024];
    private bool _settingsSeen;

    /// <summary>Body octets sent.</summary>
    public long Sent { get; private set; }

    /// <summary>Frames sent.</summary>
    public long Frames { get; private set; }

    /// <summary>Floods one connection until the server grants no more window for <paramref name="quiet"/>.</summary>
    public static async Task<BodyFloodClient> FloodAsync(int port, string path, int streams, int frameSize, int maxFramesPerStream, TimeSpan quiet, TimeSpan limit)
    {
        var client = new BodyFloodClient();
        await client._socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        client._h2.InitiateConnection();
        await client.FlushAsync();
        while (!client._settingsSeen && await client.ReadAsync(TimeSpan.FromSeconds(10)))
        {
        }

        await client.RunAsync(path, Math.Min(streams, (int)client._h2.RemoteSettings.MaxConcurrentStreams), frameSize, maxFramesPerStream, quiet, limit);
        return client;
    }

    private async Task RunAsync(string path, int streams, int frameSize, int maxFramesPerStream, TimeSpan quiet, TimeSpan limit)
    {
        HeaderField[] request = [(":method", "POST"), (":scheme", "http"), (":authority", "127.0.0.1"), (":path", path)];
        var ids = new List<int>();
        for (int i = 0; i < streams; i++)
        {
            int id = _h2.GetNextAvailableStreamId();
            _h2.SendHeaders(id, request);
            ids.Add(id);
        }

        var frames = new Dictionary<int, int>();
        byte[] payload = new byte[frameSize];
        DateTime end = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < end)
        {
            bool sent = false;
            foreach (int id in ids)
            {
                while (frames.GetValueOrDefault(id) < maxFramesPerStream && _h2.LocalFlowControlWindow(id) >= frameSize)
                {
                    _h2.SendData(id, payload);
                    frames[id] = frames.GetValueOrDefault(id) + 1;
                    Sent += frameSize;
                    Frames++;
                    sent = true;
                    if (_h2.OutboundDataLength > 256 * 1024)
                    {
                        await FlushAsync();
                    }
                }
            }

            await FlushAsync();
            if (!await ReadAsync(sent ? TimeSpan.FromMilliseconds(1) : quiet) && !sent)
            {
                return;
            }
        }
    }

    private async Task FlushAsync()
    {
        byte[] data = _h2.DataToSend();
        if (data.Length > 0)
        {
            await _socket.SendAsync(data);
        }
    }

    /// <summary>Reads what the server sent within <paramref name="wait"/>; <see langword="false"/> if nothing came.</summary>
    private async Task<bool> ReadAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            int read = await _socket.ReceiveAsync(_buffer, timeout.Token);
            if (read == 0)
            {
                return false;
            }

            foreach (Event received in _h2.ReceiveData(_buffer.AsSpan(0, read)))
            {
                _settingsSeen |= received is RemoteSettingsChanged;
            }

            await FlushAsync();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
