using System.Net;
using System.Security.Cryptography;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>100 MB each way over one connection: 100 concurrent streams, 16 KiB stream windows on both sides, every byte hashed.</summary>
public class BulkTransferTests
{
    [Fact]
    public async Task HundredMegabytesEachWay_WithSmallWindows_AndHundredStreams()
    {
        var server = new H2Server(
            async context =>
            {
                // Echo: reading and writing at once, so both directions are in flight together.
                await context.Request.Body.CopyToAsync(context.Response.Body, context.Aborted);
            },
            new H2ServerOptions { ConnectionConfiguration = () => new H2Configuration { InitialWindowSize = 16384, MaxConcurrentStreams = 100 } });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var options = new H2ClientOptions { ConnectionConfiguration = () => new H2Configuration { ClientSide = true, InitialWindowSize = 16384 } };
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/"), options))
        {
            const int streams = 100;
            const int size = 1_000_000;
            async Task Transfer(int i)
            {
                byte[] body = new byte[size];
                new Random(i).NextBytes(body);
                H2ClientResponse response = await client.SendAsync(new H2ClientRequest("POST", "/echo") { ContentStream = new MemoryStream(body) });
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                byte[] buffer = new byte[8192];
                long total = 0;
                while (await response.Body.ReadAsync(buffer) is int read and > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    total += read;
                }

                Assert.Equal(size, total);
                Assert.Equal(SHA256.HashData(body), hash.GetHashAndReset());
            }

            await Task.WhenAll(Enumerable.Range(0, streams).Select(Transfer)).WaitAsync(TimeSpan.FromMinutes(3));
        }
    }
}
