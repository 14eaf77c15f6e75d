using System.Net;
using H2.Frames;
using H2.Hpack;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>RFC 9110 §10.1.1: a request with Expect: 100-continue gets 100 when its handler first reads the body.</summary>
public class ExpectContinueTests
{
    private static readonly HeaderField[] Upload =
        [new(":method", "POST"), new(":scheme", "http"), new(":authority", "x"), new(":path", "/"), new("expect", "100-continue")];

    private static async Task<(H2Server Server, RawConnection Client)> StartAsync(H2RequestHandler handler, H2ServerOptions? options = null)
    {
        var server = new H2Server(handler, options);
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        return (server, await RawConnection.OpenAsync(endPoint));
    }

    private static async Task EchoLength(H2RequestContext context) =>
        await context.Response.WriteAsync(System.Text.Encoding.ASCII.GetBytes((await context.Request.Body.ReadToEndAsync()).Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task HandlerThatReadsTheBody_SendsContinue_AndTheBodyFollows()
    {
        (H2Server server, RawConnection client) = await StartAsync(EchoLength);
        await using (server)
        using (client)
        {
            // The client holds the body back until it hears 100 (Continue).
            await client.SendAsync(client.Headers(1, Upload, endStream: false));
            await client.WaitForStatusAsync(1, "100");
            await client.SendAsync(RawConnection.Write(w => DataFrame.Write(w, 1, new byte[5000], endStream: true)));
            await client.WaitForStatusAsync(1, "200");
            var data = (DataFrame)await client.WaitForAsync(f => f is DataFrame { StreamId: 1 }, "the response body");
            Assert.Equal("5000"u8.ToArray(), data.Data.ToArray());
        }
    }

    [Fact]
    public async Task HandlerThatAnswersWithoutReading_SendsNoContinue()
    {
        (H2Server server, RawConnection client) = await StartAsync(context =>
        {
            context.Response.StatusCode = 413;
            return Task.CompletedTask;
        });
        await using (server)
        using (client)
        {
            await client.SendAsync(client.Headers(1, Upload, endStream: false));
            await client.WaitForStatusAsync(1, "413");
            await client.SyncAsync();
            Assert.DoesNotContain(client.Frames(), f => f is HeadersFrame && client.FieldsOf(f).Any(h => h is { Name: ":status", Value: "100" }));
        }
    }

    [Fact]
    public async Task ClientThatSentTheBodyAnyway_GetsNoContinue()
    {
        // RFC 9110 §10.1.1: a server may omit 100 once content has arrived.
        var bodyArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        (H2Server server, RawConnection client) = await StartAsync(async context =>
        {
            await bodyArrived.Task;
            await EchoLength(context);
        });
        await using (server)
        using (client)
        {
            await client.SendAsync(client.Headers(1, Upload, endStream: false), RawConnection.Write(w => DataFrame.Write(w, 1, new byte[10], endStream: true)));
            await client.SyncAsync();
            bodyArrived.SetResult();
            await client.WaitForStatusAsync(1, "200");
            Assert.DoesNotContain(client.Frames(), f => f is HeadersFrame && client.FieldsOf(f).Any(h => h is { Name: ":status", Value: "100" }));
        }
    }

    [Fact]
    public async Task AnswerExpectContinue_Off_LeavesItToTheHandler()
    {
        (H2Server server, RawConnection client) = await StartAsync(
            async context =>
            {
                await context.Response.SendInformationalAsync(100);
                await EchoLength(context);
            },
            new H2ServerOptions { AnswerExpectContinue = false });
        await using (server)
        using (client)
        {
            await client.SendAsync(client.Headers(1, Upload, endStream: false));
            await client.WaitForStatusAsync(1, "100");
            await client.SendAsync(RawConnection.Write(w => DataFrame.Write(w, 1, new byte[7], endStream: true)));
            await client.WaitForStatusAsync(1, "200");
            Assert.Single(client.Frames(), f => f is HeadersFrame && client.FieldsOf(f).Any(h => h is { Name: ":status", Value: "100" }));
        }
    }
}
