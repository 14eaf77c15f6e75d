using System.Net;
using H2.Events;
using H2.Net.Client;
using H2.Net.Server;
using Microsoft.Extensions.Logging;

namespace H2.Net.Tests.Logging;

/// <summary>H2.Net's logging: templates and event ids, scopes that carry the connection and stream, frames tagged by connection, and a failing handler that is never silent.</summary>
[Collection(nameof(StandardErrorTests))]
public class NetLogTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static readonly Action<ILogger, string, Exception?> s_handling = LoggerMessage.Define<string>(LogLevel.Information, 1, "handling {Path}");

    [Fact]
    public async Task AFailingHandler_IsLoggedAtError_WithTheException_InAScopeNamingConnectionAndStream()
    {
        var log = new RecordingLoggerFactory(LogLevel.Information);
        var appLogger = log.CreateLogger("App");
        await using var server = new H2Server(
            c =>
            {
                s_handling(appLogger, c.Request.Path, null);
                throw new InvalidOperationException("boom");
            },
            new H2ServerOptions { LoggerFactory = log });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/")))
        {
            Assert.Equal(500, (await client.SendAsync(new H2ClientRequest("GET", "/x")).WaitAsync(s_wait)).StatusCode);
        }

        RecordingLoggerFactory.Entry[] entries = log.Snapshot();
        RecordingLoggerFactory.Entry failure = Assert.Single(entries, e => e.Level == LogLevel.Error);
        Assert.Equal("H2Sharp.Net.Server", failure.Category);
        Assert.Equal(104, failure.EventId.Id);
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(failure.Exception).Message);
        Assert.Contains(failure.State, p => p.Key == "StreamId" && Equals(p.Value, 1));
        Assert.Contains(failure.State, p => p.Key == "{OriginalFormat}" && (string?)p.Value == "The handler failed on stream {StreamId} of connection {ConnectionId}");

        // The application's own message, written inside the handler, carries the scope.
        RecordingLoggerFactory.Entry handling = Assert.Single(entries, e => e.Category == "App");
        var scope = Assert.IsAssignableFrom<IReadOnlyList<KeyValuePair<string, object>>>(Assert.Single(handling.Scopes));
        Assert.Contains(scope, p => p.Key == "StreamId" && Equals(p.Value, 1));
        Assert.Contains(scope, p => p.Key == "ConnectionId");
    }

    [Fact]
    public async Task AFailingHandler_WithNoLoggerConfigured_GoesToStandardError()
    {
        var captured = new StringWriter();
        TextWriter original = Console.Error;
        Console.SetError(captured);
        try
        {
            await using var server = new H2Server(_ => throw new InvalidOperationException("nobody listens"));
            IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
            await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
            Assert.Equal(500, (await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait)).StatusCode);
        }
        finally
        {
            Console.SetError(original);
        }

        string text = captured.ToString();
        Assert.Contains("the handler failed on stream 1", text, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException: nobody listens", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FramesAtTrace_AreTaggedWithTheirConnection_AndSettingsShowTheirValues()
    {
        var log = new RecordingLoggerFactory(LogLevel.Trace);
        await using var server = new H2Server(c => c.Response.WriteAsync("ok"u8.ToArray()), new H2ServerOptions { LoggerFactory = log });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var uri = new Uri($"http://127.0.0.1:{ep.Port}/");
        await using (H2Client first = await H2Client.ConnectAsync(uri))
        await using (H2Client second = await H2Client.ConnectAsync(uri))
        {
            await first.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
            await second.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        }

        RecordingLoggerFactory.Entry[] frames = [.. log.Snapshot().Where(e => e.Category == "H2Sharp.Frames")];
        long[] connections = [.. frames.Select(e => (long)e.State.Single(p => p.Key == "ConnectionId").Value!).Distinct()];
        Assert.Equal(2, connections.Length);
        Assert.Contains(frames, e => e.Level == LogLevel.Trace && e.Message.Contains("sent SETTINGS (MAX_CONCURRENT_STREAMS=", StringComparison.Ordinal));
        Assert.Contains(frames, e => e.Message.StartsWith($"connection {connections[0]}: received HEADERS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FramesAreNotLogged_WhenTheirCategoryIsOff()
    {
        var log = new RecordingLoggerFactory(LogLevel.Information);
        await using var server = new H2Server(c => c.Response.WriteAsync("ok"u8.ToArray()), new H2ServerOptions { LoggerFactory = log });
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"), new H2ClientOptions { LoggerFactory = log }))
        {
            await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        }

        Assert.DoesNotContain(log.Snapshot(), e => e.Category == "H2Sharp.Frames");
    }

    [Fact]
    public async Task TheClient_LogsItsConnectionAndTheServersGoAway()
    {
        var log = new RecordingLoggerFactory(LogLevel.Debug);
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                c.SendHeaders(request.StreamId, [(":status", "204")], endStream: true);
                c.CloseConnection(ErrorCode.NoError);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri, new H2ClientOptions { LoggerFactory = log });
        await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);
        await client.GoAway.WaitAsync(s_wait);

        RecordingLoggerFactory.Entry[] entries = [.. log.Snapshot().Where(e => e.Category == "H2Sharp.Net.Client")];
        Assert.Contains(entries, e => e.EventId.Id == 200 && e.Message.Contains("127.0.0.1", StringComparison.Ordinal));
        RecordingLoggerFactory.Entry goAway = Assert.Single(entries, e => e.EventId.Id == 201);
        Assert.Contains(goAway.State, p => p.Key == "ErrorCode" && Equals(p.Value, ErrorCode.NoError));
    }
}

/// <summary>Tests that swap the process's standard error run alone.</summary>
[CollectionDefinition(nameof(StandardErrorTests), DisableParallelization = true)]
public sealed class StandardErrorTests;
