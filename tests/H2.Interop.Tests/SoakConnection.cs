using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using H2.Events;
using H2.Hpack;

namespace H2.Interop.Tests;

/// <summary>
/// One client connection of the soak test: the sans-I/O <see cref="H2Connection"/> driven over a
/// socket by a single loop (send what is queued, read, react), so no locking is needed. It keeps a
/// few requests in flight and mixes in resets, POST bodies, flow-controlled downloads, PINGs and
/// SETTINGS changes, reporting every outcome to the shared <see cref="SoakTally"/>.
/// </summary>
internal sealed class SoakConnection : IAsyncDisposable
{
    /// <summary>Requests in flight; well under the server's SETTINGS_MAX_CONCURRENT_STREAMS, which is respected too.</summary>
    private const int InFlight = 10;

    private const int PingEvery = 200;
    private const int SettingsEvery = 500;

    /// <summary>Our connection receive window: large, so that only stream windows pace the server.</summary>
    private const int ConnectionWindow = 16 << 20;

    private const int DefaultWindow = 65535;

    /// <summary>A download long enough that the server's handler is still writing when a reset arrives.</summary>
    private const int LongDownload = 1 << 20;

    private readonly int _index;
    private readonly Socket _socket;
    private readonly SoakTally _tally;
    private readonly H2Connection _h2 = new(new H2Configuration { ClientSide = true });
    private readonly Random _random;
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private readonly byte[] _body = new byte[4096];
    private readonly Dictionary<int, Request> _open = [];
    private readonly HashSet<long> _pings = [];
    private readonly string _authority;
    private readonly HeaderField[] _getRoot;
    private readonly int _pingPhase;
    private readonly int _settingsPhase;
    private int _started;
    private int _retries;
    private int _settingsOutstanding;
    private bool _smallSettings;
    private bool _serverSettingsSeen;
    private long _nextPing;

    private SoakConnection(int index, Socket socket, int port, SoakTally tally)
    {
        _index = index;
        _socket = socket;
        _tally = tally;
        _random = new Random(index);

        // Each connection PINGs and changes SETTINGS at its own point of the cycle, so control
        // frames are spread over the run rather than sent by every connection at once.
        _pingPhase = _random.Next(PingEvery);
        _settingsPhase = _random.Next(SettingsEvery);
        _random.NextBytes(_body);
        _authority = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        _getRoot = Headers("GET", "/");
    }

    private enum Route
    {
        Root,
        Bytes,
        Post,
    }

    /// <summary>Connects, exchanges the prefaces and waits for the server's SETTINGS, whose limits the load obeys.</summary>
    public static async Task<SoakConnection> ConnectAsync(int port, int index, SoakTally tally, CancellationToken cancel)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var connection = new SoakConnection(index, socket, port, tally);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancel);
            connection._h2.InitiateConnection();
            connection._settingsOutstanding = 1;
            connection._h2.IncrementFlowControlWindow(ConnectionWindow - DefaultWindow);
            await connection.FlushAsync(cancel);
            while (!connection._serverSettingsSeen || connection._settingsOutstanding > 0)
            {
                await connection.ReceiveAsync(cancel);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes requests until the shared budget is spent, then waits for every one of them, and for
    /// every PING and SETTINGS acknowledgement; likewise, idle, through each pause of the load.
    /// The connection stays open afterwards.
    /// </summary>
    public async Task RunAsync(CancellationToken cancel)
    {
        try
        {
            while (true)
            {
                StartRequests();
                await FlushAsync(cancel);
                if (_open.Count == 0 && _retries == 0 && _pings.Count == 0 && _settingsOutstanding == 0)
                {
                    if (!_tally.HasBudget)
                    {
                        return;
                    }

                    // Nothing in flight and nothing to take: the load is paused.
                    await _tally.PauseEnded.WaitAsync(cancel);
                    continue;
                }

                await ReceiveAsync(cancel);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"Connection {_index} stopped making progress: {Describe()}.");
        }
        catch (H2Exception error)
        {
            throw new InvalidOperationException($"Connection {_index}: {error.GetType().Name}: {error.Message} ({Describe()}).", error);
        }
    }

    /// <summary>Closes gracefully: GOAWAY (NO_ERROR), our side shut, then the server's bytes drained until it closes.</summary>
    public async Task CloseAsync(CancellationToken cancel)
    {
        _h2.CloseConnection();
        await FlushAsync(cancel);
        _socket.Shutdown(SocketShutdown.Send);
        while (await _socket.ReceiveAsync(_receiveBuffer, SocketFlags.None, cancel) > 0)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private void StartRequests()
    {
        int limit = (int)Math.Min(InFlight, _h2.RemoteSettings.MaxConcurrentStreams);
        while (_h2.OpenOutboundStreams < limit && _open.Count < limit)
        {
            if (_retries > 0)
            {
                _retries--;
            }
            else if (!_tally.TryClaim())
            {
                return;
            }

            StartRequest();
            _started++;
            if (_started % PingEvery == _pingPhase)
            {
                SendPing();
            }

            if (_started % SettingsEvery == _settingsPhase)
            {
                ChangeSettings();
            }
        }
    }

    private void StartRequest()
    {
        int streamId = _h2.GetNextAvailableStreamId();
        double route = _random.NextDouble();
        double reset = _random.NextDouble();
        if (reset < 0.01)
        {
            // Reset at once, often in the same read as the request: half of them a POST whose
            // body never comes, so the server's handler may be waiting on it.
            bool post = route < 0.5;
            _h2.SendHeaders(streamId, post ? Headers("POST", "/post", ("content-length", "4096")) : _getRoot, endStream: !post);
            _h2.ResetStream(streamId, ErrorCode.Cancel);
            _tally.Reset(early: true);
            return;
        }

        if (reset < 0.02)
        {
            // Reset when the response begins: half on a short answer (likely finished on the
            // server already), half on a long download whose handler is still writing.
            bool download = route < 0.5;
            _h2.SendHeaders(streamId, download ? Headers("GET", $"/bytes/{LongDownload}") : _getRoot, endStream: true);
            _open.Add(streamId, new Request(download ? Route.Bytes : Route.Root, download ? LongDownload : -1, ResetOnResponse: true));
            return;
        }

        if (route < 0.10)
        {
            int length = _random.Next(1, _body.Length + 1);
            _h2.SendHeaders(streamId, Headers("POST", "/post", ("content-type", "application/octet-stream"), ("content-length", length.ToString(CultureInfo.InvariantCulture))));
            _h2.SendData(streamId, _body.AsSpan(0, length), endStream: true);
            _open.Add(streamId, new Request(Route.Post, length, ResetOnResponse: false));
        }
        else if (route < 0.15)
        {
            int length = _random.Next(1, 64 * 1024);
            _h2.SendHeaders(streamId, Headers("GET", $"/bytes/{length.ToString(CultureInfo.InvariantCulture)}"), endStream: true);
            _open.Add(streamId, new Request(Route.Bytes, length, ResetOnResponse: false));
        }
        else
        {
            _h2.SendHeaders(streamId, _getRoot, endStream: true);
            _open.Add(streamId, new Request(Route.Root, -1, ResetOnResponse: false));
        }
    }

    private void SendPing()
    {
        long data = ++_nextPing;
        Span<byte> opaque = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(opaque, data);
        _h2.Ping(opaque);
        _pings.Add(data);
        _tally.PingSent();
    }

    /// <summary>
    /// Toggles our stream window and HPACK table size. RFC 9113 §6.9.2: the new initial window
    /// changes the windows of open streams too; RFC 7541 §4.2: the server's encoder must signal
    /// the new table size in its next header block.
    /// </summary>
    private void ChangeSettings()
    {
        _smallSettings = !_smallSettings;
        _h2.UpdateSettings(new Dictionary<SettingCode, uint>
        {
            [SettingCode.InitialWindowSize] = _smallSettings ? 16384u : DefaultWindow,
            [SettingCode.HeaderTableSize] = _smallSettings ? 512u : 4096u,
        });
        _settingsOutstanding++;
        _tally.SettingsSentOnce();
    }

    private async Task FlushAsync(CancellationToken cancel)
    {
        for (ReadOnlyMemory<byte> chunk = _h2.PeekDataToSend(); !chunk.IsEmpty; chunk = _h2.PeekDataToSend())
        {
            int sent = await _socket.SendAsync(chunk, SocketFlags.None, cancel);
            _h2.AdvanceDataToSend(sent);
        }
    }

    private async Task ReceiveAsync(CancellationToken cancel)
    {
        int read = await _socket.ReceiveAsync(_receiveBuffer, SocketFlags.None, cancel);
        if (read == 0)
        {
            throw new IOException($"Connection {_index}: the server closed the connection: {Describe()}.");
        }

        IReadOnlyList<Event> events;
        try
        {
            events = _h2.ReceiveData(_receiveBuffer.AsSpan(0, read));
        }
        catch (ProtocolException error)
        {
            // RFC 9113 §5.4.1: GOAWAY is queued; send it before giving up.
            await FlushAsync(cancel);
            throw new InvalidOperationException($"Connection {_index}: connection error {error.ErrorCode} from the server's bytes: {error.Message}", error);
        }

        foreach (Event @event in events)
        {
            Handle(@event);
        }
    }

    private void Handle(Event @event)
    {
        switch (@event)
        {
            case ResponseReceived response when _open.TryGetValue(response.StreamId, out Request? request):
                request.Status = response.Headers[0] is { Name: ":status" } status ? status.Value : "(none)";
                if (request.ResetOnResponse && response.StreamEnded is null)
                {
                    try
                    {
                        _h2.ResetStream(response.StreamId, ErrorCode.Cancel);
                        _open.Remove(response.StreamId);
                        _tally.Reset(early: false);
                    }
                    catch (StreamClosedException)
                    {
                        // The whole response came in the same read (its StreamEnded event follows):
                        // too late to reset, so it completes instead.
                    }
                }

                break;
            case DataReceived data:
                // Credit goes back whatever became of the stream, or the connection window shrinks for good.
                _h2.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                if (_open.TryGetValue(data.StreamId, out Request? receiving))
                {
                    receiving.Received += data.Data.Length;
                }

                break;
            case StreamEnded ended when _open.Remove(ended.StreamId, out Request? request):
                Finish(ended.StreamId, request);
                break;
            case StreamReset reset when _open.Remove(reset.StreamId):
                if (reset.RemoteReset && reset.ErrorCode == ErrorCode.RefusedStream)
                {
                    // RFC 9113 §8.7: a refused stream was not processed; the request is sent again.
                    _tally.Refuse();
                    _retries++;
                }
                else
                {
                    _tally.Fail($"connection {_index} stream {reset.StreamId}: reset {(reset.RemoteReset ? "by the server" : "by us, for a protocol violation of the server")} with {reset.ErrorCode}");
                }

                break;
            case PingAckReceived ack:
                if (!_pings.Remove(BinaryPrimitives.ReadInt64BigEndian(ack.PingData.Span)))
                {
                    throw new InvalidOperationException($"Connection {_index}: PING ACK for a PING never sent ({Convert.ToHexString(ack.PingData.Span)}).");
                }

                _tally.PingAcknowledged();
                break;
            case SettingsAcknowledged:
                _settingsOutstanding--;
                _tally.SettingsAcknowledgedOnce();
                break;
            case RemoteSettingsChanged:
                _serverSettingsSeen = true;
                break;
            case ConnectionTerminated goAway:
                _tally.GoAwayReceived();
                throw new InvalidOperationException($"Connection {_index}: the server sent GOAWAY ({goAway.ErrorCode}, last stream {goAway.LastStreamId}, \"{System.Text.Encoding.ASCII.GetString(goAway.AdditionalData.Span)}\"): {Describe()}.");
            default:
                break;
        }
    }

    private void Finish(int streamId, Request request)
    {
        bool lengthRight = request.Expected < 0 ? request.Received > 0 : request.Received == request.Expected;
        if (request.Status == "200" && lengthRight)
        {
            _tally.Complete(request.Received);
        }
        else
        {
            _tally.Fail($"connection {_index} stream {streamId} ({request.Route}): status {request.Status ?? "(none)"}, {request.Received} body octets, expected {(request.Expected < 0 ? "some" : request.Expected.ToString(CultureInfo.InvariantCulture))}");
        }
    }

    private HeaderField[] Headers(string method, string path, params HeaderField[] extra) =>
    [
        (":method", method),
        (":scheme", "http"),
        (":authority", _authority),
        (":path", path),
        ("user-agent", "h2sharp-soak"),
        .. extra,
    ];

    private string Describe() =>
        $"{_started} requests started, streams in flight [{string.Join(", ", _open.Keys.Order().Take(20))}], {_retries} to retry, {_pings.Count} PINGs and {_settingsOutstanding} SETTINGS unacknowledged";

    /// <summary>A request in flight and what has come back of its response.</summary>
    private sealed record Request(Route Route, long Expected, bool ResetOnResponse)
    {
        public string? Status { get; set; }

        public long Received { get; set; }
    }
}
