using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using H2.Examples.Server;
using H2.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace H2.Interop.Tests;

/// <summary>Our client against real HTTP/2 servers: nghttpd, Kestrel, and Python h2's asyncio server.</summary>
public sealed class ClientInteropTests
{
    private static readonly H2ClientOptions s_insecure = new() { ServerCertificateValidation = (_, _, _, _) => true };

    private static int FreePort()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        for (int i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The peer exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Nothing listens on port {port}.");
    }

    private static Process StartProcess(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static async Task<byte[]> GetAsync(H2Client client, string path)
    {
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", path));
        Assert.Equal(200, response.StatusCode);
        return await response.Body.ReadToEndAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Nghttpd_ServesFilesToOurClient(bool tls)
    {
        string nghttpd = Tools.Require("nghttpd", "nghttp2-server");
        string root = Directory.CreateTempSubdirectory("h2sharp-nghttpd").FullName;
        byte[] big = RandomNumberGenerator.GetBytes(3_000_000);
        await File.WriteAllBytesAsync(Path.Combine(root, "big.bin"), big);
        await File.WriteAllTextAsync(Path.Combine(root, "index.html"), "<h1>hello from nghttpd</h1>");
        int port = FreePort();
        string[] arguments = ["-d", root, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (tls)
        {
            using X509Certificate2 certificate = Certificates.SelfSigned();
            await File.WriteAllTextAsync(Path.Combine(root, "cert.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(root, "key.pem"), certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            arguments = [.. arguments, Path.Combine(root, "key.pem"), Path.Combine(root, "cert.pem")];
        }
        else
        {
            arguments = ["--no-tls", .. arguments];
        }

        using Process server = StartProcess(nghttpd, arguments);
        try
        {
            await WaitForPortAsync(port, server);
            Uri uri = new($"{(tls ? "https" : "http")}://localhost:{port}/");
            await using H2Client client = await H2Client.ConnectAsync(uri, s_insecure);
            Task<byte[]>[] downloads = [.. Enumerable.Range(0, 10).Select(_ => GetAsync(client, "/big.bin"))];
            Assert.Equal("<h1>hello from nghttpd</h1>", Encoding.UTF8.GetString(await GetAsync(client, "/index.html")));
            foreach (Task<byte[]> download in downloads)
            {
                Assert.Equal(SHA256.HashData(big), SHA256.HashData(await download));
            }
        }
        finally
        {
            server.Kill();
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Kestrel_AnswersOurClient(bool tls)
    {
        using X509Certificate2 certificate = Certificates.SelfSigned();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (tls)
            {
                listen.UseHttps(certificate);
            }
        }));
        await using WebApplication app = builder.Build();
        app.MapGet("/", (HttpContext context) => Results.Json(new { protocol = context.Request.Protocol, scheme = context.Request.Scheme, path = context.Request.Path.Value }));
        app.MapPost("/post", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Request.Body.CopyToAsync(context.Response.Body);
            context.Response.AppendTrailer("x-done", "yes");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        await using H2Client client = await H2Client.ConnectAsync(uri, s_insecure);
        using (JsonDocument json = JsonDocument.Parse(await GetAsync(client, "/")))
        {
            Assert.Equal("HTTP/2", json.RootElement.GetProperty("protocol").GetString());
            Assert.Equal(tls ? "https" : "http", json.RootElement.GetProperty("scheme").GetString());
        }

        byte[] upload = RandomNumberGenerator.GetBytes(4_000_000);
        H2ClientResponse echo = await client.SendAsync(new H2ClientRequest("POST", "/post") { Content = upload });
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(await echo.Body.ReadToEndAsync()));
        Assert.Contains(echo.Trailers!, t => t.Name == "x-done" && t.Value == "yes");
        await app.StopAsync();
    }

    [Fact]
    public async Task PythonH2Server_AnswersOurClient()
    {
        string python = await Tools.RequirePythonH2Async();
        using Process server = StartProcess(python, Tools.RepoPath("tests", "peers", "h2_server.py"), "0");
        try
        {
            string? line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line?.StartsWith("listening ", StringComparison.Ordinal) != true)
            {
                server.Kill();
                Assert.Fail($"The Python h2 server did not start: {line} {await server.StandardError.ReadToEndAsync()}");
            }

            int port = int.Parse(line!["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{port}/")).WaitAsync(TimeSpan.FromSeconds(10));
            using (JsonDocument json = JsonDocument.Parse(await GetAsync(client, "/python").WaitAsync(TimeSpan.FromSeconds(11))))
            {
                Assert.Equal("/python", json.RootElement.GetProperty(":path").GetString());
            }

            byte[][] bodies = [.. Enumerable.Range(0, 50).Select(i => RandomNumberGenerator.GetBytes(1000 * (i + 1)))];
            H2ClientResponse[] responses = await Task.WhenAll(bodies.Select(b => client.SendAsync(new H2ClientRequest("POST", "/post") { Content = b }))).WaitAsync(TimeSpan.FromSeconds(12));
            for (int i = 0; i < bodies.Length; i++)
            {
                Assert.Equal(bodies[i], await responses[i].Body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(13)));
            }
        }
        finally
        {
            server.Kill();
        }
    }

    /// <summary>Starts tests/peers/h2_server.py and returns it with its port.</summary>
    private static async Task<(Process Server, int Port)> StartPythonServerAsync()
    {
        string python = await Tools.RequirePythonH2Async();
        Process server = StartProcess(python, Tools.RepoPath("tests", "peers", "h2_server.py"), "0");
        string? line = await server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line?.StartsWith("listening ", StringComparison.Ordinal) != true)
        {
            server.Kill();
            Assert.Fail($"The Python h2 server did not start: {line} {await server.StandardError.ReadToEndAsync()}");
        }

        return (server, int.Parse(line!["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task EarlyResponseThenResetWithNoError_IsDelivered_AndTheUploadStopsQuietly()
    {
        // RFC 9113 §8.1: a server may answer before the request is all sent, then reset the
        // stream with NO_ERROR; the client MUST NOT discard the response. Twenty times, so that the
        // upload's failure and the response race both ways.
        (Process server, int port) = await StartPythonServerAsync();
        try
        {
            await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{port}/")).WaitAsync(TimeSpan.FromSeconds(10));
            for (int i = 0; i < 20; i++)
            {
                var upload = new MemoryStream(new byte[8 << 20]);
                H2ClientResponse response = await client.SendAsync(new H2ClientRequest("POST", "/early") { ContentStream = upload }).WaitAsync(TimeSpan.FromSeconds(10));
                Assert.Equal(200, response.StatusCode);
                Assert.Equal(Enumerable.Repeat((byte)'e', 1000), await response.Body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));
                Assert.True(upload.Position < upload.Length, "the upload went on after the reset");
            }
        }
        finally
        {
            server.Kill();
        }
    }

    [Theory]
    [InlineData("/early-short")] // 500 of 1000 octets, then END_STREAM: malformed (RFC 9113 §8.1.1)
    [InlineData("/early-cut")] // 500 of 1000 octets, then RST_STREAM NO_ERROR before END_STREAM
    public async Task ResponseShorterThanItsContentLength_IsNeverASuccess(string path)
    {
        (Process server, int port) = await StartPythonServerAsync();
        try
        {
            await using H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{port}/")).WaitAsync(TimeSpan.FromSeconds(10));
            var request = new H2ClientRequest("POST", path) { ContentStream = new MemoryStream(new byte[1 << 20]) };
            await Assert.ThrowsAnyAsync<IOException>(async () =>
            {
                H2ClientResponse response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10));
                await response.Body.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
            });
        }
        finally
        {
            server.Kill();
        }
    }
}
