using System.Security.Cryptography;
using H2.Net.Client;

namespace H2.Interop.Tests;

/// <summary>Big transfers against the example server: intact bytes, and bounded server memory with a slow reader.</summary>
public sealed class TransferTests
{
    [Fact]
    public async Task SlowReader_KeepsTheServersMemoryBounded()
    {
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        await using H2Client client = await H2Client.ConnectAsync(server.Http);

        // Warm up, then note the resident size.
        await (await client.SendAsync(new H2ClientRequest("GET", "/bytes/10000000"))).Body.ReadToEndAsync();
        long before = server.ResidentBytes();

        // Ask for 100 MB, but read it slowly: the server may only ever run one window ahead.
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/bytes/100000000"));
        byte[] buffer = new byte[64 * 1024];
        long peak = before;
        long read = 0;
        for (int i = 0; i < 60; i++)
        {
            read += await response.Body.ReadAsync(buffer);
            await Task.Delay(50);
            peak = Math.Max(peak, server.ResidentBytes());
        }

        Assert.InRange(read, 1, 100_000_000);
        Assert.True(peak - before < 48L << 20, $"server memory grew from {before >> 20} MiB to {peak >> 20} MiB while the client read slowly");

        // Reading on at full speed, everything arrives.
        while (await response.Body.ReadAsync(buffer) is int n and > 0)
        {
            read += n;
        }

        Assert.Equal(100_000_000, read);
        Assert.True(server.ResidentBytes() - before < 64L << 20);
    }
}
