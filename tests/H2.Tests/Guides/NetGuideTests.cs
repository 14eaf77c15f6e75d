using System.Net;
using H2.Guides.Net;
using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Tests.Guides;

/// <summary>The H2Sharp.Net guide's listings (docs/net.md) do what the guide says, over loopback.</summary>
public class NetGuideTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EchoServer_EchoesABody_WithTrailersAfterIt_AndRefusesALargeOne()
    {
        await using var server = new H2Server(EchoServer.HandleAsync);
        await using H2Client client = await ConnectAsync(server);
        var request = new H2ClientRequest("POST", "/") { Content = "ping"u8.ToArray() };
        request.Headers.Add(("content-type", "text/plain"));
        request.Trailers.Add(("x-one", "1"));

        H2ClientResponse echo = await client.SendAsync(request).WaitAsync(s_wait);
        H2ClientResponse tooLarge = await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[(1 << 20) + 1] }).WaitAsync(s_wait);
        H2ClientResponse get = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);

        Assert.Equal("ping"u8.ToArray(), await echo.Body.ReadToEndAsync());
        Assert.Equal("text/plain", echo.GetHeader("content-type"));
        Assert.Equal([new HeaderField("x-request-trailers", "1")], echo.Trailers);
        Assert.Equal(413, tooLarge.StatusCode);
        Assert.Equal(405, get.StatusCode);
    }

    [Fact]
    public async Task FetchClient_GetsTheBody()
    {
        await using var server = new H2Server(c => c.Response.WriteAsync("fetched"u8.ToArray()));
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));

        byte[] body = await FetchClient.FetchAsync(new Uri($"http://127.0.0.1:{ep.Port}/"), "/", CancellationToken.None).WaitAsync(s_wait);

        Assert.Equal("fetched"u8.ToArray(), body);
    }

    [Fact]
    public async Task ForwardingProxy_RelaysBodiesAndTrailersBothWays()
    {
        await using var upstream = new H2Server(EchoServer.HandleAsync);
        await using H2Client toUpstream = await ConnectAsync(upstream);
        var proxy = new ForwardingProxy(toUpstream);
        await using var front = new H2Server(proxy.HandleAsync);
        await using H2Client client = await ConnectAsync(front);
        var request = new H2ClientRequest("POST", "/echo") { ContentStream = new MemoryStream(new byte[100_000]) };
        request.Trailers.Add(("x-a", "1"));
        request.Trailers.Add(("x-b", "2"));

        H2ClientResponse response = await client.SendAsync(request).WaitAsync(s_wait);

        Assert.Equal(100_000, (await response.Body.ReadToEndAsync()).Length);
        Assert.Equal([new HeaderField("x-request-trailers", "2")], response.Trailers);
    }

    private static Task<H2Client> ConnectAsync(H2Server server)
    {
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        return H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
    }
}
