using System.Net;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>What H2ServerResponse does by itself for responses that have no content: HEAD, 204, 205, 304.</summary>
public class ServerResponseTests
{
    private static async Task<(H2Server Server, H2Client Client)> StartAsync(H2RequestHandler handler)
    {
        var server = new H2Server(handler);
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/"));
        return (server, client);
    }

    [Theory]
    [InlineData("write")]
    [InlineData("start, then write")]
    [InlineData("no write")]
    [InlineData("trailers")]
    public async Task HeadRequest_GetsTheHeadersOfGet_EndingTheStream_AndTheBodyIsDropped(string handlerDoes)
    {
        var wrote = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        (H2Server server, H2Client client) = await StartAsync(async context =>
        {
            byte[] body = new byte[100_000];
            context.Response.Headers.Add(("content-type", "application/octet-stream"));
            context.Response.Headers.Add(("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            switch (handlerDoes)
            {
                case "write":
                    await context.Response.WriteAsync(body);
                    await context.Response.WriteAsync(body);
                    break;
                case "start, then write":
                    await context.Response.StartAsync();
                    await context.Response.Body.WriteAsync(body);
                    break;
                case "trailers":
                    context.Response.Trailers.Add(("x-checksum", "1"));
                    break;
            }

            wrote.TrySetResult(context.Response.BytesSent);
        });
        await using (server)
        await using (client)
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("HEAD", "/file"));
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("100000", response.GetHeader("content-length"));
            Assert.Empty(await response.Body.ReadToEndAsync());
            Assert.Equal(0, await wrote.Task);

            // The connection is fine afterwards: the same handler answers GET with the body.
            handlerDoes = "start, then write";
            H2ClientResponse get = await client.SendAsync(new H2ClientRequest("GET", "/file"));
            Assert.Equal(100_000, (await get.Body.ReadToEndAsync()).Length);
        }
    }

    [Theory]
    [InlineData(204)]
    [InlineData(205)]
    [InlineData(304)]
    public async Task NoContentStatus_EndsWithItsHeaders_AndRefusesBodyWrites(int status)
    {
        var refused = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        (H2Server server, H2Client client) = await StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            try
            {
                await context.Response.WriteAsync("content"u8.ToArray());
                refused.TrySetResult(null);
            }
            catch (InvalidOperationException e)
            {
                refused.TrySetResult(e);
            }
        });
        await using (server)
        await using (client)
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal(status, response.StatusCode);
            Assert.Empty(await response.Body.ReadToEndAsync());
            Exception? error = await refused.Task;
            Assert.IsType<InvalidOperationException>(error);
            Assert.Contains($"A {status} response has no content", error.Message, StringComparison.Ordinal);
        }
    }
}
