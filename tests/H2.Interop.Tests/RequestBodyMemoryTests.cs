using Xunit.Abstractions;

namespace H2.Interop.Tests;

/// <summary>
/// What a peer can make the example server buffer of request bodies, measured from its resident
/// memory: clients that keep their own window at 0 (so the handlers stall answering) and upload
/// as much as the server's windows let them, in large frames and in one-octet frames.
/// </summary>
public sealed class RequestBodyMemoryTests(ITestOutputHelper output)
{
    private static async Task<long> SettledResidentBytesAsync(ExampleServer server)
    {
        // Until two readings half a second apart agree within 2% (at most 10 s): the server may
        // still be taking in what the flood sent.
        long last = server.ResidentBytes();
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(500);
            long now = server.ResidentBytes();
            if (Math.Abs(now - last) < last / 50)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    private async Task<long> FloodAsync(int connections, int frameSize, int maxFramesPerStream, string label)
    {
        // A minimum data rate would reset the stalled streams after 5 s and hide what they held.
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet", "--min-data-rate", "0");
        string curl = Tools.Require("curl", "curl");
        for (int i = 0; i < 20; i++)
        {
            await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-d", new string('x', 100_000), new Uri(server.Http, "/post").ToString(), "-o", "/dev/null"], TimeSpan.FromSeconds(30));
        }

        long before = await SettledResidentBytesAsync(server);
        var clients = new List<BodyFloodClient>();
        try
        {
            Task<BodyFloodClient>[] floods = [.. Enumerable.Range(0, connections).Select(_ =>
                BodyFloodClient.FloodAsync(server.Port, "/post", streams: 256, frameSize, maxFramesPerStream, quiet: TimeSpan.FromSeconds(1), limit: TimeSpan.FromSeconds(60)))];
            clients.AddRange(await Task.WhenAll(floods));
            long during = await SettledResidentBytesAsync(server);
            long sent = clients.Sum(c => c.Sent);
            long growth = during - before;
            output.WriteLine($"{label}: {connections} connections sent {sent / 1024} KiB of body in {clients.Sum(c => c.Frames)} frames; server RSS {before / 1048576.0:F1} -> {during / 1048576.0:F1} MiB (+{growth / 1048576.0:F1} MiB, {growth / connections / 1024} KiB per connection)");

            // The server still answers.
            (int code, string body, string error) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", server.Http.ToString()], TimeSpan.FromSeconds(30));
            Assert.True(code == 0 && body == "200", Tools.Describe(code, body, error));
            return growth;
        }
        finally
        {
            foreach (BodyFloodClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    // The number of connections can be raised by hand for docs/security.md's figures (1,000 there).
    private static int Connections(int ordinary) =>
        int.TryParse(Environment.GetEnvironmentVariable("H2SHARP_FLOOD_CONNECTIONS"), out int asked) && asked > 0 ? asked : ordinary;

    [Fact]
    public async Task StalledUploads_HoldAtMostTheWindowTheirReadingEarned()
    {
        // Before the windows grew only with reading, 32 such connections took the server from
        // ~54 MiB to ~2.3 GiB (64 MiB of window each). Now the body held is bounded by 64 KiB a
        // connection plus the server-wide 64 MiB; the rest is the 256 stalled handlers' own state.
        int connections = Connections(32);
        long growth = await FloodAsync(connections, frameSize: 16384, maxFramesPerStream: 1000, "16 KiB frames");
        Assert.True(growth < (64L << 20) + (connections * (4L << 20)), $"+{growth / 1048576.0:F1} MiB");
    }

    [Fact]
    public async Task OneOctetFrames_AreBufferedAtAboutTheirSize()
    {
        // 256 streams x 4,000 one-octet DATA frames a connection: once ~35 MiB a connection (each
        // frame queued as its own chunk); now small payloads are gathered into shared buffers.
        int connections = Connections(8);
        long growth = await FloodAsync(connections, frameSize: 1, maxFramesPerStream: 4000, "1-octet frames");
        Assert.True(growth < connections * (12L << 20), $"+{growth / 1048576.0:F1} MiB");
    }
}
