using System.Diagnostics;
using System.Text.RegularExpressions;

namespace H2.Interop.Tests;

/// <summary>
/// The example server (examples/Server) run as a process on free ports, as a user runs it. Its
/// stdout (one line per request) is kept so tests can check what the server saw.
/// </summary>
public sealed partial class ExampleServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ExampleServer(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _ready.TrySetException(new InvalidOperationException("The example server exited: " + string.Join('\n', Lines)));
                return;
            }

            lock (_lines)
            {
                _lines.Add(e.Data);
                Match clear = ClearLine().Match(e.Data);
                if (clear.Success)
                {
                    Port = int.Parse(clear.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }

                Match tls = TlsLine().Match(e.Data);
                if (tls.Success)
                {
                    TlsPort = int.Parse(tls.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    _ready.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add("stderr: " + e.Data);
                }
            }
        };
    }

    public int Port { get; private set; }

    public int TlsPort { get; private set; }

    public Uri Http => new($"http://127.0.0.1:{Port}/");

    public Uri Https => new($"https://localhost:{TlsPort}/");

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public static Task<ExampleServer> StartAsync(params string[] extraArguments) =>
        StartProgramAsync("dotnet", [ServerDll(), .. extraArguments]);

    /// <summary>
    /// The example server as its own build left it (the project reference builds it in the same
    /// configuration as the tests): run from there, it finds its own dependencies, which the test
    /// project's output does not all carry (the ASP.NET Core framework the tests use provides some).
    /// </summary>
    private static string ServerDll()
    {
        string dll = Tools.ExampleOutput("Server", "h2sharp-server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"The example server was not built at {dll}.");
    }

    /// <summary>Starts the example server under a limit on open file descriptors (ulimit -n, soft and hard).</summary>
    public static Task<ExampleServer> StartWithDescriptorLimitAsync(int limit, params string[] extraArguments) =>
        StartProgramAsync(
            Tools.Require("bash", "bash"),
            ["-c", $"ulimit -n {limit} && exec dotnet \"$@\"", "bash", ServerDll(), .. extraArguments]);

    /// <summary>Starts a natively compiled (NativeAOT) build of the example server.</summary>
    public static Task<ExampleServer> StartNativeAsync(string executable, params string[] extraArguments) =>
        StartProgramAsync(executable, extraArguments);

    private static async Task<ExampleServer> StartProgramAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[.. arguments, "--port", "0", "--tls-port", "0"])
        {
            start.ArgumentList.Add(argument);
        }

        var server = new ExampleServer(Process.Start(start)!);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server._ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>The server's resident memory, from /proc.</summary>
    public long ResidentBytes()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Stops the server with SIGTERM, as Ctrl+C or a service manager would, and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            await Tools.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"listening on http://[^:]+:(\d+)/")]
    private static partial Regex ClearLine();

    [GeneratedRegex(@"listening on https://[^:]+:(\d+)/")]
    private static partial Regex TlsLine();
}
