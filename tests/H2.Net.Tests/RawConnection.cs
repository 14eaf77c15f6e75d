using System.Buffers;
using System.Net;
using System.Net.Sockets;
using H2.Frames;
using H2.Hpack;

namespace H2.Net.Tests;

/// <summary>
/// A client that writes raw frames and collects the server's frames as they arrive; header blocks
/// are decoded in arrival order (each HEADERS frame must carry END_HEADERS).
/// </summary>
internal sealed class RawConnection : IDisposable
{
    private readonly TcpClient _tcp = new();
    private readonly HpackEncoder _encoder = new();
    private readonly List<Frame> _frames = [];
    private readonly Dictionary<Frame, IReadOnlyList<HeaderField>> _headers = [];
    private readonly HpackDecoder _decoder = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private Task _reading = Task.CompletedTask;
    private int _pings;

    public bool Closed { get; private set; }

    public static async Task<RawConnection> OpenAsync(IPEndPoint endPoint)
    {
        var connection = new RawConnection();
        await connection._tcp.ConnectAsync(endPoint);
        connection._reading = connection.ReadAsync();
        await connection.SendAsync([.. FrameReader.ClientPreface, .. Write(w => SettingsFrame.Write(w, [])), .. Write(SettingsFrame.WriteAck)]);
        return connection;
    }

    public static byte[] Write(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    public byte[] Headers(int streamId, HeaderField[] fields, bool endStream) =>
        Write(w => HeadersFrame.Write(w, streamId, _encoder.Encode(fields), 16384, endStream));

    public async Task SendAsync(params byte[][] frames) => await _tcp.GetStream().WriteAsync(frames.SelectMany(f => f).ToArray());

    /// <summary>Sends a PING and waits for its ACK: the server has then read everything sent before it.</summary>
    public async Task SyncAsync()
    {
        byte[] data = BitConverter.GetBytes((long)Interlocked.Increment(ref _pings));
        await SendAsync(Write(w => PingFrame.Write(w, data)));
        await WaitForAsync(f => f is PingFrame { Ack: true } ping && ping.OpaqueData.Span.SequenceEqual(data), $"the ACK of PING {_pings}");
    }

    /// <summary>Waits until the server has sent a frame that matches, and returns it.</summary>
    public async Task<Frame> WaitForAsync(Func<Frame, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            lock (_frames)
            {
                if (_frames.FirstOrDefault(match) is Frame found)
                {
                    return found;
                }

                if (Closed)
                {
                    Assert.Fail($"The server closed the connection without sending {what}; it sent: {string.Join(", ", _frames)}.");
                }
            }

            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_frames)
                {
                    Assert.Fail($"No {what} within 10 s; the server sent: {string.Join(", ", _frames)}.");
                }
            }
        }
    }

    /// <summary>The decoded fields of a HEADERS frame the server sent.</summary>
    public IReadOnlyList<HeaderField> FieldsOf(Frame frame)
    {
        lock (_frames)
        {
            return _headers[frame];
        }
    }

    /// <summary>Waits for a HEADERS frame on the stream whose :status matches.</summary>
    public async Task<HeadersFrame> WaitForStatusAsync(int streamId, string status) =>
        (HeadersFrame)await WaitForAsync(
            f => f is HeadersFrame h && h.StreamId == streamId && _headers[f].Any(field => field.Name == ":status" && field.Value == status),
            $"a {status} response on stream {streamId}");

    public List<Frame> Frames()
    {
        lock (_frames)
        {
            return [.. _frames];
        }
    }

    public void Dispose() => _tcp.Dispose();

    private async Task ReadAsync()
    {
        var reader = new FrameReader();
        var collector = new FrameCollector();
        var buffer = new byte[65536];
        NetworkStream stream = _tcp.GetStream();
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                reader.Read(buffer.AsSpan(0, n), collector);
                lock (_frames)
                {
                    foreach (Frame frame in collector.Frames)
                    {
                        if (frame is HeadersFrame headers)
                        {
                            _headers[frame] = _decoder.Decode(headers.HeaderBlockFragment.Span);
                        }

                        _frames.Add(frame);
                    }
                }

                collector.Frames.Clear();
                _arrived.Release();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
        finally
        {
            Closed = true;
            _arrived.Release();
        }
    }
}
