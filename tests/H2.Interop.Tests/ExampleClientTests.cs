namespace H2.Interop.Tests;

/// <summary>The example client (examples/Client) as a user runs it, against the example server and nghttpd.</summary>
public sealed class ExampleClientTests
{
    private static Task<(int ExitCode, string Output, string Error)> RunClientAsync(params string[] arguments) =>
        Tools.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "h2sharp-client.dll"), .. arguments], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Client_SpeaksEveryWayToTheExampleServer()
    {
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        (int code, string output, string error) = await RunClientAsync(server.Http.ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.StartsWith("HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("\":path\":\"/\"", output, StringComparison.Ordinal);

        (code, output, error) = await RunClientAsync("--upgrade", "-n", "5", new Uri(server.Http, "/get").ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Equal(4, output.Split('\n').Count(l => l.StartsWith("stream ", StringComparison.Ordinal) && l.Contains(": 200", StringComparison.Ordinal)));

        (code, output, error) = await RunClientAsync("-k", "-d", "posted", new Uri(server.Https, "/post").ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Contains("posted", output, StringComparison.Ordinal);

        (code, _, _) = await RunClientAsync(new Uri(server.Http, "/status/500").ToString());
        Assert.Equal(1, code);
        (code, _, error) = await RunClientAsync(server.Https.ToString());
        Assert.Equal(1, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }
}
