using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace H2.Interop.Tests;

/// <summary>The example client (examples/Client) as a user runs it, against the example server and nghttpd.</summary>
public sealed class ExampleClientTests
{
    private static string ClientDll => Tools.ExampleOutput("Client", "h2sharp-client.dll");

    private static Task<(int ExitCode, string Output, string Error)> RunClientAsync(params string[] arguments) =>
        Tools.RunAsync("dotnet", [ClientDll, .. arguments], TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Client_SpeaksEveryWayToTheExampleServer()
    {
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        (int code, string output, string error) = await RunClientAsync("-i", server.Http.ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.StartsWith("HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("\":path\":\"/\"", output, StringComparison.Ordinal);

        (code, output, error) = await RunClientAsync("--upgrade", "-n", "5", new Uri(server.Http, "/get").ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Equal(4, error.Split('\n').Count(l => l.StartsWith("stream ", StringComparison.Ordinal) && l.Contains(": 200", StringComparison.Ordinal)));

        (code, output, error) = await RunClientAsync("-k", "-d", "posted", new Uri(server.Https, "/post").ToString());
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Equal("posted", output);

        (code, _, _) = await RunClientAsync(new Uri(server.Http, "/status/500").ToString());
        Assert.Equal(1, code);
        (code, _, error) = await RunClientAsync(server.Https.ToString());
        Assert.Equal(1, code);
        Assert.StartsWith("error:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_GoesToStdoutByteForByte_AndTheHeadOnlyWhenAsked()
    {
        // `client URL > file` is the body and nothing else, as curl's is.
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        string directory = Directory.CreateTempSubdirectory("h2sharp-client-").FullName;
        try
        {
            string bash = Tools.Require("bash", "bash");
            string curl = Tools.Require("curl", "curl");
            string url = new Uri(server.Http, "/bytes/1000000").ToString();
            string ours = Path.Combine(directory, "ours"), theirs = Path.Combine(directory, "curl"), output = Path.Combine(directory, "output");
            (int code, string stdout, string error) = await Tools.RunAsync(bash, ["-c", $"dotnet \"{ClientDll}\" -v {url} > \"{ours}\""], TimeSpan.FromSeconds(60));
            Assert.True(code == 0, Tools.Describe(code, stdout, error));
            Assert.Contains("HTTP/2 200", error, StringComparison.Ordinal);
            (code, stdout, error) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-o", theirs, url], TimeSpan.FromSeconds(60));
            Assert.True(code == 0, Tools.Describe(code, stdout, error));
            (code, stdout, error) = await RunClientAsync("-o", output, url);
            Assert.True(code == 0 && stdout.Length == 0, Tools.Describe(code, stdout, error));

            byte[] expected = await File.ReadAllBytesAsync(theirs);
            Assert.Equal(1_000_000, expected.Length);
            Assert.Equal(expected, await File.ReadAllBytesAsync(ours));
            Assert.Equal(expected, await File.ReadAllBytesAsync(output));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task LargeBody_IsStreamed_NotHeldInMemory()
    {
        // 300 MB through the client: its peak resident memory stays far below the body's size.
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])[ClientDll, "-o", "/dev/null", new Uri(server.Http, "/bytes/300000000").ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        using Process client = Process.Start(start)!;
        Task<string> error = client.StandardError.ReadToEndAsync();
        long peak = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!client.HasExited && !timeout.IsCancellationRequested)
        {
            peak = Math.Max(peak, PeakResidentBytes(client.Id));
            await Task.Delay(100);
        }

        await client.WaitForExitAsync(timeout.Token);
        Assert.True(client.ExitCode == 0, await error);
        Assert.True(peak is > 0 and < 150L << 20, $"peak RSS {peak / 1048576} MiB");
    }

    [Fact]
    public async Task MaxTime_EndsAWaitForAServerThatNeverAnswers()
    {
        // A listener that accepts and says nothing: no SETTINGS, no response.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<Socket> accepted = listener.AcceptSocketAsync();
        (int code, string output, string error) = await RunClientAsync("--max-time", "1", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        Assert.True(code == 28, Tools.Describe(code, output, error));
        Assert.Contains("timed out", error, StringComparison.Ordinal);
        (await accepted).Dispose();
    }

    private static long PeakResidentBytes(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // The process has just ended.
        }

        return 0;
    }
}
