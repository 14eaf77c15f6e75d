using BenchmarkDotNet.Attributes;
using H2.Events;

namespace H2.Benchmarks;

/// <summary>
/// Bulk DATA through a client and a server <see cref="H2Connection"/> wired back to back: one
/// 8 MiB body per operation in frames of <see cref="FrameSize"/>, sent without copying (the
/// body is lent to the queue, and the queue's bytes go straight to the server), received as
/// events (one copy, or none with <see cref="H2Connection.ReceiveDataInPlace"/>) and
/// acknowledged. <see cref="Memcpy"/> copies the same bytes once, for the ratio.
/// </summary>
[MemoryDiagnoser]
public class BulkDataBenchmarks
{
    /// <summary>Octets moved per operation.</summary>
    public const int BodyLength = 8 << 20;

    private readonly byte[] _body = new byte[BodyLength];
    private readonly byte[] _copy = new byte[BodyLength];
    private H2Connection _client = null!;
    private H2Connection _server = null!;
    private int _stream;

    /// <summary>The server's SETTINGS_MAX_FRAME_SIZE, so the size of each DATA frame.</summary>
    [Params(16 * 1024, 1024 * 1024)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_body);
        _client = new H2Connection(new H2Configuration { ClientSide = true });
        _server = new H2Connection(new H2Configuration { MaxFrameSize = FrameSize, InitialWindowSize = int.MaxValue });
        _client.InitiateConnection();
        _server.InitiateConnection();
        _server.IncrementFlowControlWindow(int.MaxValue - 65535);
        Pump();
        _stream = 1;
    }

    [Benchmark(Description = "Bulk DATA, 8 MiB through both connections")]
    public long Transfer() => Run(inPlace: false);

    /// <summary>The same, received with <see cref="H2Connection.ReceiveDataInPlace"/>: no copy at all.</summary>
    [Benchmark(Description = "Bulk DATA, 8 MiB, received in place (zero-copy)")]
    public long TransferInPlace() => Run(inPlace: true);

    private long Run(bool inPlace)
    {
        if (_stream > 1 << 30)
        {
            Setup();
        }

        int stream = _stream;
        _stream += 2;
        _client.SendHeaders(stream, [(":method", "POST"), (":scheme", "https"), (":authority", "example.com"), (":path", "/upload")]);
        int frame = _client.MaxOutboundFrameSize;
        for (int offset = 0; offset < _body.Length; offset += frame)
        {
            int length = Math.Min(frame, _body.Length - offset);
            _client.SendData(stream, _body.AsMemory(offset, length), endStream: offset + length == _body.Length);
        }

        long received = 0;
        while (true)
        {
            ReadOnlyMemory<byte> next = _client.PeekDataToSend();
            if (next.IsEmpty)
            {
                break;
            }

            // In place, the events' data are slices of the client's queue (here, of the body
            // itself), read before the queue moves on.
            IReadOnlyList<Event> events = inPlace ? _server.ReceiveDataInPlace(next) : _server.ReceiveData(next.Span);
            _client.AdvanceDataToSend(next.Length);
            for (int i = 0; i < events.Count; i++)
            {
                if (events[i] is DataReceived data)
                {
                    received += data.Data.Length;
                    _server.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                }
            }

            _client.ReceiveData(_server.DataToSend());
        }

        _server.SendHeaders(stream, [(":status", "204")], endStream: true);
        _client.ReceiveData(_server.DataToSend());
        return received;
    }

    [Benchmark(Baseline = true, Description = "memcpy of the same 8 MiB")]
    public int Memcpy()
    {
        _body.AsSpan().CopyTo(_copy);
        return _copy[^1];
    }

    private void Pump()
    {
        _server.ReceiveData(_client.DataToSend());
        _client.ReceiveData(_server.DataToSend());
        _server.ReceiveData(_client.DataToSend());
        _client.ReceiveData(_server.DataToSend());
    }
}
