using System.Diagnostics;

namespace H2.Interop.Tests;

/// <summary>
/// The packages as a user meets them: <c>dotnet pack</c> the two libraries, restore them from a
/// local folder (and nothing else) into a fresh console project, and run the tutorial's server
/// (examples/BasicServer's last step, unchanged) and an H2Sharp.Net client built against them.
/// </summary>
public class PackageTests
{
    private const string Program = """
        using System.Net;
        using System.Net.Sockets;
        using H2.Net.Client;

        if (args is ["client", string url])
        {
            // H2Sharp.Net from the package: one GET, status and body printed.
            await using H2Client client = await H2Client.ConnectAsync(new Uri(url));
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/from-the-client"));
            Console.WriteLine($"{response.StatusCode} {System.Text.Encoding.UTF8.GetString(await response.Body.ReadToEndAsync())}");
            return;
        }

        // H2Sharp from the package: the tutorial's server, on a free loopback port.
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(5);
        Console.WriteLine($"port {((IPEndPoint)listener.LocalEndPoint!).Port}");
        while (true)
        {
            using Socket connection = listener.Accept();
            BasicServer.Steps.Step6.Handle(connection);
        }
        """;

    [Fact]
    public async Task PackedPackages_RestoredIntoAFreshProject_RunTheTutorialAndAClient()
    {
        string curl = Tools.Require("curl", "curl");
        DirectoryInfo work = Directory.CreateTempSubdirectory("h2sharp-package-");
        Process? server = null;
        try
        {
            string packages = Path.Combine(work.FullName, "packages");
            foreach (string project in new[] { Tools.RepoPath("src", "H2", "H2.csproj"), Tools.RepoPath("src", "H2.Extensions.Logging", "H2.Extensions.Logging.csproj"), Tools.RepoPath("src", "H2.Net", "H2.Net.csproj") })
            {
                (int code, string output, string error) = await Tools.RunAsync("dotnet", ["pack", project, "-c", "Release", "-o", packages, "-nologo"], TimeSpan.FromMinutes(5));
                Assert.True(code == 0, "dotnet pack failed: " + Tools.Describe(code, output, error));
            }

            string[] built = [.. Directory.GetFiles(packages).Select(Path.GetFileName).Order()!];
            string version = Path.GetFileNameWithoutExtension(built.Single(f => f.StartsWith("H2Sharp.Net.", StringComparison.Ordinal) && f.EndsWith(".nupkg", StringComparison.Ordinal)))["H2Sharp.Net.".Length..];
            Assert.Equal(
                [
                    $"H2Sharp.{version}.nupkg", $"H2Sharp.{version}.snupkg",
                    $"H2Sharp.Extensions.Logging.{version}.nupkg", $"H2Sharp.Extensions.Logging.{version}.snupkg",
                    $"H2Sharp.Net.{version}.nupkg", $"H2Sharp.Net.{version}.snupkg",
                ],
                built);

            // A console project of its own, outside the repository: the packed folder for
            // H2Sharp, the packages this repository restored (Microsoft.Extensions.Logging's
            // abstractions, which H2Sharp.Net depends on) for the rest, and a package cache of its
            // own, so nothing of H2Sharp's but the packed files is used.
            string restored = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
                ? cache
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string app = Path.Combine(work.FullName, "app");
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="H2Sharp" Version="{version}" />
                    <PackageReference Include="H2Sharp.Net" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="packed" value="{packages}" />
                    <add key="restored" value="{restored}" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Program);
            File.Copy(Tools.RepoPath("examples", "BasicServer", "Steps", "Step6.cs"), Path.Combine(app, "Tutorial.cs"));
            (int buildCode, string buildOutput, string buildError) = await RunAsync(work, "dotnet", ["build", app, "-c", "Release", "-nologo"], TimeSpan.FromMinutes(5));
            Assert.True(buildCode == 0, "building the package consumer failed: " + Tools.Describe(buildCode, buildOutput, buildError));
            string dll = Path.Combine(app, "bin", "Release", "net10.0", "app.dll");

            server = Process.Start(new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            string? first = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("port ", first);
            string url = $"http://127.0.0.1:{first!["port ".Length..]}/";

            (int curlCode, string json, string curlError) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "--max-time", "20", url], TimeSpan.FromSeconds(30));
            Assert.True(curlCode == 0, Tools.Describe(curlCode, json, curlError));
            Assert.Contains("\":method\":\"GET\"", json, StringComparison.Ordinal);

            (int clientCode, string answer, string clientError) = await RunAsync(work, "dotnet", [dll, "client", url], TimeSpan.FromSeconds(60));
            Assert.True(clientCode == 0, Tools.Describe(clientCode, answer, clientError));
            Assert.StartsWith("200 {", answer, StringComparison.Ordinal);
            Assert.Contains("\":path\":\"/from-the-client\"", answer, StringComparison.Ordinal);
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
            }

            server?.Dispose();
            work.Delete(recursive: true);
        }
    }

    /// <summary>Runs a program with the work folder's own NuGet cache.</summary>
    private static Task<(int ExitCode, string Output, string Error)> RunAsync(DirectoryInfo work, string program, string[] arguments, TimeSpan timeout) =>
        Tools.RunAsync(program, arguments, timeout, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work.FullName, "nuget-cache") });
}
