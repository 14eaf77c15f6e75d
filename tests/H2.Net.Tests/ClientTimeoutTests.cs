using H2.Events;
using H2.Hpack;
using H2.Net.Client;

namespace H2.Net.Tests;

/// <summary>
/// H2Client against servers that stall: every way of leaving a request hanging ends in a timeout
/// (connect, response, idle), never in a wait without end.
/// </summary>
public class ClientTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(500);

    private static readonly HeaderField[] Ok = [(":status", "200")];

    private static H2ClientOptions Options(TimeSpan? response = null, TimeSpan? idle = null, bool push = false) => new()
    {
        ConnectTimeout = Short,
        ResponseTimeout = response ?? Short,
        IdleTimeout = idle ?? Short,
        ConnectionConfiguration = () => new H2Configuration { ClientSide = true, EnablePush = push },
    };

    [Fact]
    public async Task ServerThatNeverSendsSettings_FailsTheConnectWithATimeout()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (_, _) => { }, sendPreface: false);
        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => H2Client.ConnectAsync(server.Uri, Options()).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("sent no SETTINGS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerThatNeverAnswers_FailsTheRequestWithATimeout_AndResetsTheStream()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (_, _) => { });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options());
        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10)));

        // The stream was reset with CANCEL, and the connection goes on.
        for (int i = 0; i < 100 && !server.Received.OfType<StreamReset>().Any(); i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(ErrorCode.Cancel, Assert.Single(server.Received.OfType<StreamReset>()).ErrorCode);
    }

    [Fact]
    public async Task ServerThatSendsHeadersButNoBody_FailsTheBodyReadWithATimeout()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.SendHeaders(request.StreamId, Ok);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options(response: Timeout.InfiniteTimeSpan));
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10));
        IOException error = await Assert.ThrowsAsync<IOException>(() => response.Body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task ServerThatKeepsItsWindowShut_FailsTheUploadWithATimeout()
    {
        await using var server = new ScriptedServer(new H2Configuration { InitialWindowSize = 0 }, (_, _) => { });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options(response: Timeout.InfiniteTimeSpan));
        var request = new H2ClientRequest("POST", "/upload") { Content = new byte[100_000] };
        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ServerThatSendsGoAwayAndThenNothing_FailsTheRequestWithATimeout()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived)
            {
                c.CloseConnection(ErrorCode.NoError);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options());
        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ServerThatFloodsInformationalResponses_EndsTheRequest()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                for (int i = 0; i < 20_000; i++)
                {
                    c.SendHeaders(request.StreamId, [(":status", "103"), ("link", "</style.css>; rel=preload")]);
                }
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options(response: TimeSpan.FromSeconds(5)));

        // The glitch budget cuts the connection off (GOAWAY ENHANCE_YOUR_CALM) well before the timeout.
        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10)));
        H2ConnectionException failure = Assert.IsType<H2ConnectionException>(error);
        Assert.Equal(ErrorCode.EnhanceYourCalm, failure.ErrorCode);
        Assert.False(failure.RequestNotProcessed);
    }

    [Fact]
    public async Task PushThatNeverComes_FailsItsResponseWithATimeout()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.PushStream(request.StreamId, 2, [(":method", "GET"), (":scheme", "http"), (":authority", "x"), (":path", "/pushed")]);
                c.SendHeaders(request.StreamId, Ok, endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, Options(push: true));
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, response.StatusCode);
        H2PushedResponse pushed = await client.PushedResponses.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<TimeoutException>(() => pushed.Response.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
