using System.Diagnostics;
using System.Text;

namespace H2.Interop.Tests;

/// <summary>Runs the peer programs. A missing program fails the test with a clear message; nothing is skipped.</summary>
internal static class Tools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The full path of a program on PATH (or an absolute path), or a failure saying how to get it.</summary>
    public static string Require(string program, string debianPackage)
    {
        if (Path.IsPathRooted(program) && File.Exists(program))
        {
            return program;
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The peer '{program}' is not installed: install the Debian package '{debianPackage}' (./test.sh does so when it is missing).");
    }

    /// <summary>Python 3 with the h2 module (Debian python3-h2).</summary>
    public static async Task<string> RequirePythonH2Async()
    {
        string python = Require(Python, "python3-h2");
        (int code, _, string error) = await RunAsync(python, ["-c", "import h2"], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            throw new InvalidOperationException($"Python's h2 module is missing: install the Debian package 'python3-h2'. ({error.Trim()})");
        }

        return python;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s.\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>The repository root, to find tests/peers.</summary>
    /// <summary>
    /// A file of an example's own build output, in the configuration these tests were built in:
    /// examples run from there, with their own dependencies (this project's shared framework,
    /// ASP.NET Core, supplies assemblies that the example's folder must).
    /// </summary>
    public static string ExampleOutput(string example, string file) =>
        RepoPath("examples", example, "bin", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name, "net10.0", file);

    public static string RepoPath(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "H2Sharp.slnx")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        throw new DirectoryNotFoundException("The repository root (H2Sharp.slnx) was not found.");
    }

    public static string Describe(int code, string output, string error)
    {
        var text = new StringBuilder();
        text.Append("exit ").Append(code).AppendLine();
        text.AppendLine(output.Length > 4000 ? output[^4000..] : output);
        text.AppendLine(error.Length > 4000 ? error[^4000..] : error);
        return text.ToString();
    }
}
