using System.Globalization;
using System.Text.RegularExpressions;

namespace H2.Interop.Tests;

/// <summary>h2load against the example server: 20,000 requests, 10 clients, 10 streams each, no error.</summary>
public sealed partial class LoadTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task H2load_CompletesEveryRequest(bool tls)
    {
        string h2load = Tools.Require("h2load", "nghttp2-client");
        await using ExampleServer server = await ExampleServer.StartAsync("--quiet");
        Uri uri = tls ? new Uri($"https://127.0.0.1:{server.TlsPort}/") : server.Http;
        (int code, string output, string error) = await Tools.RunAsync(h2load, ["-n", "20000", "-c", "10", "-m", "10", uri.ToString()], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, Tools.Describe(code, output, error));
        Match requests = Requests().Match(output);
        Assert.True(requests.Success, output);
        Assert.Equal(20000, int.Parse(requests.Groups["succeeded"].Value, CultureInfo.InvariantCulture));
        Assert.Equal("0", requests.Groups["failed"].Value);
        Assert.Equal("0", requests.Groups["errored"].Value);
        Assert.Equal(0, await server.StopAsync());
    }

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex Requests();
}
