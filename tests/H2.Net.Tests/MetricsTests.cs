using System.Diagnostics.Metrics;
using System.Net;
using H2.Net;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>The meter's instruments are process-wide, so these tests run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsRunAlone
{
    public const string Name = "Metrics";
}

[Collection(MetricsRunAlone.Name)]
public sealed class MetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly Dictionary<(string Instrument, string Role), long> _baseline = [];

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == H2NetMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagged = new Dictionary<string, object?>();
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                tagged[tag.Key] = tag.Value;
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tagged));
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task ConnectionsStreamsFramesAndGoAways_AreCountedForBothRoles()
    {
        await SettleAsync();
        var body = new byte[200_000];
        var inHandler = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new H2Server(async context =>
        {
            if (context.Request.Path == "/wait")
            {
                inHandler.TrySetResult();
                await proceed.Task;
            }

            context.Response.Headers.Add(("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await context.Response.WriteAsync(body, context.Aborted);
        });
        IPEndPoint endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new H2ClientOptions
        {
            // A small window, so the server's 200,000-octet answers wait for WINDOW_UPDATE.
            ConnectionConfiguration = static () => new H2Configuration { ClientSide = true, InitialWindowSize = 16384 },
            ConnectionWindowSize = 65535,
        };
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endpoint.Port}/"), options))
        {
            Task<H2ClientResponse> waiting = client.SendAsync(new H2ClientRequest("GET", "/wait"));
            await inHandler.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(1, Current("h2sharp.connections", "server"));
            Assert.Equal(1, Current("h2sharp.connections", "client"));
            Assert.Equal(1, Current("h2sharp.streams", "server"));
            Assert.Equal(1, Current("h2sharp.streams", "client"));
            proceed.SetResult();
            Assert.Equal(body.Length, (await (await waiting).Body.ReadToEndAsync()).Length);

            for (int i = 0; i < 2; i++)
            {
                H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
                Assert.Equal(body.Length, (await response.Body.ReadToEndAsync()).Length);
            }

            await WaitForAsync(() => Current("h2sharp.streams", "server") == 0 && Current("h2sharp.streams", "client") == 0);
            Assert.Equal(0, Current("h2sharp.streams", "server"));
        }

        // The client's GOAWAY reaches the server, which then closes its side too.
        await WaitForAsync(() => Current("h2sharp.connections", "server") == 0 && Count("h2sharp.goaways", "server", "received") == 1);
        Assert.Equal(0, Current("h2sharp.connections", "server"));
        Assert.Equal(0, Current("h2sharp.connections", "client"));
        Assert.Equal(1, Count("h2sharp.goaways", "server", "received"));
        Assert.Equal(1, Count("h2sharp.goaways", "client", "sent"));

        // The client sent SETTINGS, its ACK, WINDOW_UPDATEs, three HEADERS and a GOAWAY at least;
        // every frame one side sent, the other received.
        Assert.True(Sum("h2sharp.frames.sent", "client") >= 6, $"client sent {Sum("h2sharp.frames.sent", "client")} frames");
        Assert.Equal(Sum("h2sharp.frames.sent", "client"), Sum("h2sharp.frames.received", "server"));
        Assert.Equal(Sum("h2sharp.frames.sent", "server"), Sum("h2sharp.frames.received", "client"));
        Assert.True(Sum("h2sharp.flow_control.stalls", "server") >= 3, $"{Sum("h2sharp.flow_control.stalls", "server")} stalls");
        Assert.Equal(0, Sum("h2sharp.limits.tripped", "server"));
    }

    [Fact]
    public async Task AFloodOfResets_TripsTheDenialOfServiceLimit_AndCountsResetsAndGoAway()
    {
        await SettleAsync();
        await using var server = new H2Server(async context => await Task.Delay(Timeout.Infinite, context.Aborted));
        IPEndPoint endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(endpoint);
        System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();

        // Rapid Reset (CVE-2023-44487): open and cancel streams faster than the server allows.
        for (int i = 0; i < 1500; i++)
        {
            int id = client.GetNextAvailableStreamId();
            client.SendHeaders(id, [(":method", "GET"), (":scheme", "http"), (":authority", "x"), (":path", "/")]);
            client.ResetStream(id, ErrorCode.Cancel);
        }

        try
        {
            await stream.WriteAsync(client.DataToSend());
            var sink = new byte[65536];
            while (await stream.ReadAsync(sink) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The server hung up, as it should.
        }

        await WaitForAsync(() => Current("h2sharp.connections", "server") == 0);
        Assert.Equal(1, Count("h2sharp.limits.tripped", "server", limit: "denial_of_service"));
        Assert.Equal(1, Count("h2sharp.goaways", "server", "sent"));
        // Each stream the server had opened counts (at least its limit of 100 concurrent streams;
        // resets of streams it had already refused are not events).
        Assert.True(Count("h2sharp.streams.reset", "server", "received") >= 100, $"{Count("h2sharp.streams.reset", "server", "received")} resets counted");
    }

    [Fact]
    public async Task AClientThatSendsNothing_TripsTheHandshakeTimeout()
    {
        await SettleAsync();
        await using var server = new H2Server(_ => Task.CompletedTask, new H2ServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        IPEndPoint endpoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(endpoint);

        // Silence: the server gives up on the preface and closes.
        var sink = new byte[16];
        int read = await tcp.GetStream().ReadAsync(sink).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, read);
        await WaitForAsync(() => Count("h2sharp.limits.tripped", "server", limit: "handshake_timeout") == 1);
        Assert.Equal(1, Count("h2sharp.limits.tripped", "server", limit: "handshake_timeout"));
    }

    private long Sum(string instrument, string role) => Select(instrument, role).Sum(m => m.Value);

    /// <summary>An observed instrument's value now, less what it was when the test began.</summary>
    private long Current(string instrument, string role) => Observe(instrument, role) - _baseline.GetValueOrDefault((instrument, role));

    private long Observe(string instrument, string role)
    {
        _listener.RecordObservableInstruments();
        return Select(instrument, role).LastOrDefault().Value;
    }

    /// <summary>
    /// The instruments are process-wide: connections of tests that ran before may still be closing.
    /// Waits a little for them, then takes what is left as the baseline.
    /// </summary>
    private async Task SettleAsync()
    {
        (string, string)[] observed = [("h2sharp.connections", "server"), ("h2sharp.connections", "client"), ("h2sharp.streams", "server"), ("h2sharp.streams", "client")];
        await WaitForAsync(() => observed.All(o => Observe(o.Item1, o.Item2) == 0), TimeSpan.FromSeconds(5));
        foreach ((string instrument, string role) in observed)
        {
            _baseline[(instrument, role)] = Observe(instrument, role);
        }

        lock (_measurements)
        {
            _measurements.Clear();
        }
    }

    private long Count(string instrument, string role, string? direction = null, string? limit = null) =>
        Select(instrument, role)
            .Where(m => direction is null || Equals(m.Tags.GetValueOrDefault("h2.direction"), direction))
            .Where(m => limit is null || Equals(m.Tags.GetValueOrDefault("h2.limit"), limit))
            .Sum(m => m.Value);

    private List<(string Instrument, long Value, Dictionary<string, object?> Tags)> Select(string instrument, string role)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault("h2.role"), role))];
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < (limit ?? TimeSpan.FromSeconds(20)))
        {
            await Task.Delay(20);
        }
    }
}
