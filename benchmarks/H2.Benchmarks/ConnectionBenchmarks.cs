using System.Globalization;
using BenchmarkDotNet.Attributes;
using H2.Events;
using H2.Hpack;

namespace H2.Benchmarks;

/// <summary>
/// A client and a server <see cref="H2Connection"/> wired back to back in memory: batches of
/// concurrent GET requests with eight typical headers, each answered with an 80-byte body.
/// </summary>
[MemoryDiagnoser]
public class ConnectionBenchmarks
{
    private static readonly byte[] s_body = new byte[80];
    private static readonly HeaderField[] s_response =
    [
        (":status", "200"),
        ("content-type", "application/json"),
        ("content-length", s_body.Length.ToString(CultureInfo.InvariantCulture)),
    ];

    private H2Connection _client = null!;
    private H2Connection _server = null!;

    /// <summary>Requests sent at once, before any answer is read.</summary>
    [Params(1, 10)]
    public int Concurrency { get; set; }

    [GlobalSetup]
    public void Setup() => Connect();

    [Benchmark(Description = "In-memory GET exchange (requests per op = Concurrency)")]
    public int Exchange()
    {
        if (_client.GetNextAvailableStreamId() > 1 << 30)
        {
            Connect();
        }

        for (int i = 0; i < Concurrency; i++)
        {
            _client.SendHeaders(_client.GetNextAvailableStreamId(), HpackBenchmarks.Request, endStream: true);
        }

        foreach (Event @event in _server.ReceiveData(_client.DataToSend()))
        {
            if (@event is RequestReceived request)
            {
                _server.SendHeaders(request.StreamId, s_response);
                _server.SendData(request.StreamId, s_body, endStream: true);
            }
        }

        int responses = 0;
        foreach (Event @event in _client.ReceiveData(_server.DataToSend()))
        {
            if (@event is DataReceived data)
            {
                _client.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                responses++;
            }
        }

        _server.ReceiveData(_client.DataToSend());
        return responses;
    }

    private void Connect()
    {
        _client = new H2Connection(new H2Configuration { ClientSide = true });
        _server = new H2Connection(new H2Configuration { MaxConcurrentStreams = 1000 });
        _client.InitiateConnection();
        _server.InitiateConnection();
        _server.ReceiveData(_client.DataToSend());
        _client.ReceiveData(_server.DataToSend());
        _server.ReceiveData(_client.DataToSend());
    }
}
