using System.Text.Json;

namespace H2.Interop.Tests;

/// <summary>
/// One smoke test, run against the example server as `dotnet run` builds it (JIT) and as
/// `dotnet publish -r linux-x64` builds it (NativeAOT): the same curl requests, the same answers.
/// </summary>
public class ServerSmokeTests
{
    [Fact]
    public async Task JitBuild_PassesTheSmokeTest()
    {
        await using ExampleServer server = await ExampleServer.StartAsync();
        await SmokeAsync(server);
        Assert.Equal(0, await server.StopAsync());
    }

    [Fact]
    public async Task NativeAotBuild_PassesTheSmokeTest()
    {
        DirectoryInfo output = Directory.CreateTempSubdirectory("h2sharp-aot-");
        try
        {
            (int code, string log, string error) = await Tools.RunAsync(
                "dotnet",
                ["publish", Tools.RepoPath("examples", "Server", "Server.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output.FullName, "-nologo"],
                TimeSpan.FromMinutes(10));
            Assert.True(code == 0, "NativeAOT publish failed (it needs clang: apt-get install -y clang): " + Tools.Describe(code, log, error));
            string executable = Path.Combine(output.FullName, "h2sharp-server");
            Assert.True(File.Exists(executable), "no native executable in " + string.Join(", ", output.GetFiles().Select(f => f.Name)));
            Assert.False(File.Exists(Path.Combine(output.FullName, "h2sharp-server.dll")), "the publish made a JIT build, not a native one");

            await using ExampleServer server = await ExampleServer.StartNativeAsync(executable);
            await SmokeAsync(server);
            Assert.Equal(0, await server.StopAsync());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>The tutorial's JSON over prior knowledge, Upgrade and TLS, and the test routes.</summary>
    private static async Task SmokeAsync(ExampleServer server)
    {
        string curl = Tools.Require("curl", "curl");
        async Task<string> Curl(params string[] arguments)
        {
            (int code, string output, string error) = await Tools.RunAsync(curl, ["-sS", "--max-time", "20", .. arguments], TimeSpan.FromSeconds(30));
            Assert.True(code == 0, Tools.Describe(code, output, error));
            return output;
        }

        string Url(string path) => new Uri(server.Http, path).ToString();

        AssertJson(await Curl("--http2-prior-knowledge", server.Http.ToString()), "http");
        string tls = await Curl("--http2", "-k", "-w", "\n%{http_version}", server.Https.ToString());
        Assert.EndsWith("\n2", tls, StringComparison.Ordinal);
        AssertJson(tls[..tls.LastIndexOf('\n')], "https");
        Assert.EndsWith("\n2", await Curl("--http2", "-w", "\n%{http_version}", server.Http.ToString()), StringComparison.Ordinal);
        Assert.Equal("echo me", await Curl("--http2-prior-knowledge", "-d", "echo me", Url("/post")));
        Assert.Equal("200 1000000", await Curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", Url("/bytes/1000000")));
        Assert.Equal("418", await Curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", Url("/status/418")));
        Assert.Equal("404", await Curl("--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", Url("/missing")));
    }

    private static void AssertJson(string json, string scheme)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal("GET", document.RootElement.GetProperty(":method").GetString());
        Assert.Equal(scheme, document.RootElement.GetProperty(":scheme").GetString());
        Assert.StartsWith("curl/", document.RootElement.GetProperty("user-agent").GetString(), StringComparison.Ordinal);
    }
}
