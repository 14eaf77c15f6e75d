using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace H2.Interop.Tests;

/// <summary>
/// A bounded soak on loopback: a million requests over 100 connections against the example server,
/// with resets, PINGs and SETTINGS changes mixed in. Afterwards the server's memory must be back
/// within 10% of where it stood after the first 10,000 requests.
/// </summary>
[Collection(SoakRunsAlone.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Connections = 100;

    /// <summary>
    /// Requests made before the soak proper, and not counted in it. A .NET process's memory rises
    /// for a while after start whatever it does (code re-jitted at higher tiers, the thread pool
    /// and ArrayPool caches filling to the concurrency they meet, the collector sizing its
    /// generations); without this warm-up the reading after 10,000 requests (a quarter of a
    /// second of load) catches the server mid-warm-up, and the end stands some 15% above it with
    /// the same live objects. The soak is about what the load leaves behind, so it starts warm.
    /// The warm-up has to last seconds, not just requests: once the server answered twice as fast,
    /// 200,000 requests were over in three seconds, before the process had settled.
    /// </summary>
    private const int Warmup = 600_000;

    /// <summary>The baseline: the server's memory after the first 10,000 requests of the soak, which the end must come back to within 10%.</summary>
    private const int FirstRequests = 10_000;

    /// <summary>A second reading, once every connection has used 1,000 streams, reported beside the baseline to show the plateau.</summary>
    private const int BaselineRequests = 100_000;

    private const double AllowedGrowth = 1.10;

    /// <summary>A million by default; SOAK_REQUESTS sets another number for experiments by hand.</summary>
    private static readonly int Requests = int.Parse(Environment.GetEnvironmentVariable("SOAK_REQUESTS") ?? "1000000", CultureInfo.InvariantCulture);

    /// <summary>The whole load must finish well inside CI's budget; a hang fails here, saying where.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    /// <summary>How long the load has stopped before the memory is read, at each pause and at the end.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    /// <summary>The longest the server's memory gets to come down once the load has stopped.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>How often the server's memory is sampled (for the peak) and the progress noted.</summary>
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task MillionMixedRequests_AllFinish_AndServerMemoryReturnsWithinTenPercentOfBaseline()
    {
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        using var deadline = new CancellationTokenSource(Deadline);
        var tally = new SoakTally(Warmup + Requests, Warmup, Warmup + FirstRequests, Warmup + BaselineRequests);

        // Every connection is open, with settings exchanged, before the first request.
        Task<SoakConnection>[] connecting = [.. Enumerable.Range(0, Connections).Select(i => SoakConnection.ConnectAsync(server.Port, i, tally, deadline.Token))];
        try
        {
            SoakConnection[] connections = await Task.WhenAll(connecting);
            long idle = server.ResidentBytes();

            var clock = Stopwatch.StartNew();
            Task[] runs = [.. connections.Select(c => Task.Run(() => c.RunAsync(deadline.Token)))];
            Task load = Task.WhenAll(runs);
            long peak = 0;
            var progress = new List<string>();
            Task sampling = Task.Run(async () =>
            {
                while (!load.IsCompleted)
                {
                    await Task.WhenAny(load, Task.Delay(Sample));
                    long now = server.ResidentBytes();
                    peak = Math.Max(peak, now);
                    if (progress.Count < clock.Elapsed.TotalSeconds / 10)
                    {
                        progress.Add(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:0}s:{tally.Completed / 1000}k:{now / 1048576}MiB"));
                    }
                }
            });

            long warm = await ReadWhilePausedAsync(0);
            long first = await ReadWhilePausedAsync(1);
            long baseline = await ReadWhilePausedAsync(2);
            await sampling;
            TimeSpan duration = clock.Elapsed;
            string[] errors = [.. runs.Where(r => r.IsFaulted).Select(r => r.Exception!.InnerException!.Message)];

            // The load has stopped with every connection still open, as at the baseline; the
            // memory gets a few seconds to come down.
            long limit = (long)(first * AllowedGrowth);
            var settling = Stopwatch.StartNew();
            await Task.Delay(Quiet);
            long end = server.ResidentBytes();
            while (end > limit && settling.Elapsed < Settle && !server.HasExited)
            {
                await Task.Delay(Sample);
                end = server.ResidentBytes();
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                {Requests:N0} requests (after {Warmup:N0} to warm up) over {Connections} connections in {duration.TotalSeconds:0.0} s: {(Warmup + Requests) / duration.TotalSeconds:N0} requests/s
                completed {tally.Completed:N0}, reset by us {tally.ResetEarly + tally.ResetLate:N0} ({tally.ResetEarly:N0} at once, {tally.ResetLate:N0} on the response), failed {tally.Failed:N0}, refused and retried {tally.Refused:N0}, GOAWAYs {tally.GoAways}
                PINGs {tally.PingsAcknowledged:N0} of {tally.PingsSent:N0} acknowledged, SETTINGS changes {tally.SettingsAcknowledged - Connections:N0} of {tally.SettingsSent:N0} acknowledged, {tally.BodyBytes / 1e6:0.0} MB of response bodies
                server RSS: idle {Mb(idle)}, after {Warmup:N0} warm-up requests {Mb(warm)}, after {FirstRequests:N0} requests of the soak {Mb(first)}, baseline {Mb(baseline)} (after {BaselineRequests:N0}), peak {Mb(peak)}, end {Mb(end)} ({(double)end / baseline:P1} of baseline, {(double)end / first:P1} of the reading after {FirstRequests:N0}; {settling.Elapsed.TotalSeconds:0.0} s after the load)
                progress (time:completed:RSS): {string.Join(' ', progress)}
                """));
            foreach (string failure in tally.Failures.Concat(errors))
            {
                output.WriteLine(failure);
            }

            // The client's resets stay far inside the server's Rapid Reset budget (a burst of 1,000
            // and 33 a second per connection): about 150 on each connection over the whole run.
            Assert.True(tally.GoAways == 0, "The server sent GOAWAY:\n" + string.Join('\n', errors));
            Assert.True(errors.Length == 0, $"{errors.Length} connections failed:\n{string.Join('\n', errors)}");
            Assert.True(tally.Failed == 0, $"{tally.Failed} requests failed:\n{string.Join('\n', tally.Failures)}");
            Assert.Equal(Warmup + Requests, tally.Completed + tally.ResetEarly + tally.ResetLate);

            // RFC 9113 §8.7 lets a server refuse a stream it has not processed; a well-behaved one
            // does so rarely when the client stays far below its limit.
            Assert.True(tally.Refused <= Requests / 10_000, $"{tally.Refused} streams were refused with REFUSED_STREAM.");
            Assert.Equal(tally.PingsSent, tally.PingsAcknowledged);
            Assert.Equal(tally.SettingsSent + Connections, tally.SettingsAcknowledged);
            Assert.False(server.HasExited, "The server exited during the soak:\n" + string.Join('\n', server.Lines));
            Assert.True(end <= limit, $"The server's RSS is {Mb(end)} after the load, more than {AllowedGrowth:P0} of the {Mb(first)} measured after {FirstRequests:N0} requests.");

            await Task.WhenAll(connections.Select(c => c.CloseAsync(deadline.Token)));
            Assert.Equal(0, await server.StopAsync());
            Assert.DoesNotContain(server.Lines, line => line.StartsWith("stderr:", StringComparison.Ordinal));

            // The requests before the pause are done (or a connection failed, which the asserts
            // report); the server's memory is read after a quiet spell, as at the end.
            async Task<long> ReadWhilePausedAsync(int pause)
            {
                await Task.WhenAny(tally.PauseReached(pause), Task.WhenAny(runs));
                clock.Stop();
                await Task.Delay(Quiet);
                long resident = server.ResidentBytes();
                clock.Start();
                tally.Resume();
                return resident;
            }
        }
        finally
        {
            foreach (Task<SoakConnection> connection in connecting.Where(c => c.IsCompletedSuccessfully))
            {
                await (await connection).DisposeAsync();
            }
        }
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MiB");
}
