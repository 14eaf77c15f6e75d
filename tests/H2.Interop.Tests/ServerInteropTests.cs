using System.Net;
using System.Text.Json;

namespace H2.Interop.Tests;

/// <summary>Our example server, driven by real HTTP/2 clients: curl, nghttp, h2load, Python h2, HttpClient, Chromium.</summary>
public sealed class ServerInteropTests : IAsyncLifetime
{
    private ExampleServer _server = null!;

    public async Task InitializeAsync() => _server = await ExampleServer.StartAsync();

    public async Task DisposeAsync()
    {
        int code = await _server.StopAsync();
        await _server.DisposeAsync();
        Assert.Equal(0, code);
    }

    private static void AssertTutorialJson(string json, string scheme)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal("GET", root.GetProperty(":method").GetString());
        Assert.Equal(scheme, root.GetProperty(":scheme").GetString());
        Assert.Equal("/", root.GetProperty(":path").GetString());
        Assert.StartsWith("curl/", root.GetProperty("user-agent").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_WithPriorKnowledge_GetsTheRequestHeadersAsJson()
    {
        string curl = Tools.Require("curl", "curl");
        (int code, string output, string error) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", _server.Http.ToString()], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        AssertTutorialJson(output, "http");
    }

    [Fact]
    public async Task Curl_OverTls_GetsTheRequestHeadersAsJson()
    {
        string curl = Tools.Require("curl", "curl");
        (int code, string output, string error) = await Tools.RunAsync(curl, ["-sS", "--http2", "-k", "-w", "\n%{http_version}", _server.Https.ToString()], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        string[] parts = output.Split('\n');
        Assert.Equal("2", parts[^1]);
        AssertTutorialJson(parts[0], "https");
    }

    [Fact]
    public async Task Curl_WithUpgrade_SwitchesToHttp2()
    {
        string curl = Tools.Require("curl", "curl");
        (int code, string output, string error) = await Tools.RunAsync(curl, ["-sS", "--http2", "-w", "\n%{http_version}", _server.Http.ToString()], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.EndsWith("\n2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_RoutesBehave()
    {
        string curl = Tools.Require("curl", "curl");
        string Url(string path) => new Uri(_server.Http, path).ToString();
        (int code, string output, string error) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-d", "echo me", Url("/post")], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Equal("echo me", output);

        (code, output, _) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", Url("/bytes/3000000")], TimeSpan.FromSeconds(30));
        Assert.Equal("200 3000000", output);
        (_, output, _) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", Url("/status/503")], TimeSpan.FromSeconds(30));
        Assert.Equal("503", output);
        (_, output, _) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code}", Url("/missing")], TimeSpan.FromSeconds(30));
        Assert.Equal("404", output);
        (_, output, _) = await Tools.RunAsync(curl, ["-sS", "--http2-prior-knowledge", "-v", Url("/trailers")], TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Curl_HeadAnd204And304_EndCleanly()
    {
        // RFC 9110 §9.3.2, §15.3.5, §15.4.5: no content, and no stream error (curl exits 92 on one).
        string curl = Tools.Require("curl", "curl");
        foreach (string path in (string[])["/", "/get", "/bytes/5000", "/post", "/status/204", "/status/304", "/missing"])
        {
            (int code, string output, string error) = await Tools.RunAsync(
                curl, ["-sS", "-I", "--http2-prior-knowledge", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", new Uri(_server.Http, path).ToString()], TimeSpan.FromSeconds(30));
            Assert.True(code == 0, $"HEAD {path}: {Tools.Describe(code, output, error)}");
            Assert.EndsWith(" 0", output, StringComparison.Ordinal);
        }

        foreach (string status in (string[])["204", "304"])
        {
            (int code, string output, string error) = await Tools.RunAsync(
                curl, ["-sS", "--http2-prior-knowledge", "-D", "-", "-o", "/dev/null", "-w", "%{size_download}", new Uri(_server.Http, $"/status/{status}").ToString()], TimeSpan.FromSeconds(30));
            Assert.True(code == 0, $"GET /status/{status}: {Tools.Describe(code, output, error)}");
            Assert.StartsWith($"HTTP/2 {status}", output, StringComparison.Ordinal);
            Assert.DoesNotContain("content-length", output, StringComparison.OrdinalIgnoreCase);
            Assert.EndsWith("\n0", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Curl_ExpectContinue_GetsContinueAndTheEcho()
    {
        // curl holds the body back until 100 (Continue) or its timeout (60 s here, beyond the
        // test's own limit): without the 100 this test fails.
        string curl = Tools.Require("curl", "curl");
        string file = Path.GetTempFileName();
        try
        {
            byte[] body = new byte[300_000];
            new Random(7).NextBytes(body);
            await File.WriteAllBytesAsync(file, body);
            (int code, string output, string error) = await Tools.RunAsync(
                curl,
                ["-sS", "-v", "--http2-prior-knowledge", "--expect100-timeout", "60", "-H", "Expect: 100-continue", "--data-binary", "@" + file, "-o", file + ".out", new Uri(_server.Http, "/post").ToString()],
                TimeSpan.FromSeconds(30));
            Assert.True(code == 0, Tools.Describe(code, output, error));
            Assert.Contains("< HTTP/2 100", error, StringComparison.Ordinal);
            Assert.Equal(body, await File.ReadAllBytesAsync(file + ".out"));
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".out");
        }
    }

    [Fact]
    public async Task Nghttp_Head_GetsHeadersThatEndTheStream()
    {
        string nghttp = Tools.Require("nghttp", "nghttp2-client");
        foreach (string path in (string[])["/", "/bytes/5000", "/status/204"])
        {
            (int code, string output, string error) = await Tools.RunAsync(nghttp, ["-nv", "-H", ":method: HEAD", new Uri(_server.Http, path).ToString()], TimeSpan.FromSeconds(30));
            Assert.True(code == 0, Tools.Describe(code, output, error));
            Assert.Matches(@"recv HEADERS frame <[^>]*stream_id=13>\s*; END_STREAM \| END_HEADERS", output);
            Assert.DoesNotContain("RST_STREAM", output, StringComparison.Ordinal);
            Assert.DoesNotContain("recv DATA", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Curl_Http11WithoutUpgrade_IsToldToUseHttp2()
    {
        string curl = Tools.Require("curl", "curl");
        (_, string output, _) = await Tools.RunAsync(curl, ["-sS", "--http1.1", "-w", "\n%{http_code}", _server.Http.ToString()], TimeSpan.FromSeconds(30));
        Assert.EndsWith("505", output, StringComparison.Ordinal);
        Assert.Contains("HTTP/2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nghttp_WithPriorKnowledge()
    {
        string nghttp = Tools.Require("nghttp", "nghttp2-client");
        (int code, string output, string error) = await Tools.RunAsync(nghttp, ["-nv", _server.Http.ToString()], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Contains(":status: 200", output, StringComparison.Ordinal);
        Assert.Contains("recv SETTINGS frame", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nghttp_WithUpgrade()
    {
        string nghttp = Tools.Require("nghttp", "nghttp2-client");
        (int code, string output, string error) = await Tools.RunAsync(nghttp, ["-nvu", _server.Http.ToString()], TimeSpan.FromSeconds(30));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Contains("HTTP Upgrade response", output, StringComparison.Ordinal);
        Assert.Contains(":status: 200", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nghttp_PostsAndReadsLargeBodies()
    {
        string nghttp = Tools.Require("nghttp", "nghttp2-client");
        string file = Path.GetTempFileName();
        // Text, so the body survives the trip through nghttp's stdout as a string.
        await File.WriteAllTextAsync(file, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_000_000)));
        (int code, string output, string error) = await Tools.RunAsync(nghttp, ["-d", file, new Uri(_server.Http, "/post").ToString()], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, Tools.Describe(code, "(body)", error));
        Assert.Equal(await File.ReadAllTextAsync(file), output);
        File.Delete(file);
    }

    [Fact]
    public async Task PythonH2Client_RunsOneHundredStreamsWithBodiesAndTrailers()
    {
        string python = await Tools.RequirePythonH2Async();
        (int code, string output, string error) = await Tools.RunAsync(
            python, [Tools.RepoPath("tests", "peers", "h2_client.py"), "127.0.0.1", _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "100"], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Assert.Equal("ok 100", output.Trim());
    }

    [Fact]
    public async Task HttpClient_WithHttp2Exact_OverCleartextAndTls()
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (Uri uri in new[] { _server.Http, _server.Https })
        {
            using HttpResponseMessage response = await client.GetAsync(uri);
            Assert.Equal(HttpVersion.Version20, response.Version);
            using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(uri.Scheme, json.RootElement.GetProperty(":scheme").GetString());

            using HttpResponseMessage echo = await client.PostAsync(new Uri(uri, "/post"), new ByteArrayContent(new byte[100_000]));
            Assert.Equal(100_000, (await echo.Content.ReadAsByteArrayAsync()).Length);

            using HttpResponseMessage trailers = await client.GetAsync(new Uri(uri, "/trailers"));
            await trailers.Content.ReadAsByteArrayAsync();
            Assert.True(trailers.TrailingHeaders.Contains("x-checksum"));
        }
    }

    [Fact]
    public async Task Chromium_LoadsThePageOverHttp2WithTls()
    {
        string chromium = Tools.Require("chromium", "chromium");
        string profile = Directory.CreateTempSubdirectory("h2sharp-chromium").FullName;
        try
        {
            (int code, string output, string error) = await Tools.RunAsync(
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--ignore-certificate-errors", $"--user-data-dir={profile}", "--dump-dom", _server.Https.ToString(),
                ],
                TimeSpan.FromSeconds(120));
            Assert.True(code == 0, Tools.Describe(code, output, error));
            Assert.Contains(":method", output, StringComparison.Ordinal);
            Assert.Contains("Chrome", output, StringComparison.Ordinal);

            // The server's own log proves the request came in over TLS and HTTP/2.
            Assert.Contains(_server.Lines, l => l.Contains("GET / 200", StringComparison.Ordinal) && l.EndsWith("tls HTTP/2", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
