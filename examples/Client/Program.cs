using System.CommandLine;
using System.Net.Sockets;
using System.Security.Authentication;
using H2;
using H2.Hpack;
using H2.Net.Client;

// A small curl for HTTP/2 on H2.Net: GET or POST, prior knowledge, Upgrade: h2c or TLS (ALPN h2),
// several concurrent requests on one connection, informational and pushed responses shown.
var url = new Argument<string>("url") { Description = "http:// or https:// address." };
var data = new Option<string?>("--data", "-d") { Description = "POST this text as the body." };
var dataFile = new Option<FileInfo?>("--data-file") { Description = "POST this file as the body." };
var upgrade = new Option<bool>("--upgrade") { Description = "For http://, start with HTTP/1.1 and Upgrade: h2c instead of prior knowledge." };
var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed test servers)." };
var count = new Option<int>("-n") { Description = "Send this many requests at once on the one connection.", DefaultValueFactory = _ => 1 };
var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the body here instead of to stdout." };
var headers = new Option<string[]>("--header", "-H") { Description = "Add a request header, as 'name: value'.", AllowMultipleArgumentsPerToken = false };
var root = new RootCommand("H2Sharp example HTTP/2 client.") { url, data, dataFile, upgrade, insecure, count, output, headers };

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

if (parsed.Action is not null)
{
    return await parsed.InvokeAsync();
}

if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
{
    Console.Error.WriteLine($"error: '{parsed.GetValue(url)}' is not an http:// or https:// address");
    return 2;
}

int n = parsed.GetValue(count);
if (n < 1)
{
    Console.Error.WriteLine("error: -n must be at least 1");
    return 2;
}

byte[]? body = parsed.GetValue(dataFile) is FileInfo file ? await File.ReadAllBytesAsync(file.FullName)
    : parsed.GetValue(data) is string text ? System.Text.Encoding.UTF8.GetBytes(text)
    : null;

var extra = new List<HeaderField>();
foreach (string header in parsed.GetValue(headers) ?? [])
{
    int colon = header.IndexOf(':', StringComparison.Ordinal);
    if (colon <= 0)
    {
        Console.Error.WriteLine($"error: header '{header}' is not 'name: value'");
        return 2;
    }

    extra.Add((header[..colon].Trim().ToLowerInvariant(), header[(colon + 1)..].Trim()));
}

var options = new H2ClientOptions
{
    UseUpgrade = parsed.GetValue(upgrade),
    UpgradeMethod = "GET",
#pragma warning disable CA5359 // --insecure is the user's explicit choice, for self-signed test servers.
    ServerCertificateValidation = parsed.GetValue(insecure) ? (_, _, _, _) => true : null,
#pragma warning restore CA5359
    ConnectionConfiguration = () => new H2Configuration { ClientSide = true, EnablePush = true, InitialWindowSize = 1 << 20 },
};

try
{
    await using H2Client client = await H2Client.ConnectAsync(uri, options);
    var responses = new List<Task<H2ClientResponse>>();
    if (client.UpgradeResponse is { } upgraded && body is null)
    {
        // The upgrade carried the first GET already: its answer is the first response.
        responses.Add(upgraded);
    }

    while (responses.Count < n)
    {
        var request = new H2ClientRequest(body is null ? "GET" : "POST", uri.PathAndQuery) { Content = body ?? ReadOnlyMemory<byte>.Empty };
        request.Headers.AddRange(extra);
        responses.Add(client.SendAsync(request));
    }

    bool ok = true;
    for (int i = 0; i < responses.Count; i++)
    {
        H2ClientResponse response = await responses[i];
        byte[] content = await response.Body.ReadToEndAsync();
        ok &= response.StatusCode is >= 200 and < 400;
        if (i == 0)
        {
            foreach (IReadOnlyList<HeaderField> informational in response.InformationalResponses)
            {
                Print(informational);
                Console.WriteLine();
            }

            Print(response.Headers);
            Console.WriteLine();
            if (parsed.GetValue(output) is FileInfo target)
            {
                await File.WriteAllBytesAsync(target.FullName, content);
            }
            else
            {
                using Stream stdout = Console.OpenStandardOutput();
                await stdout.WriteAsync(content);
                await stdout.FlushAsync();
                Console.WriteLine();
            }

            if (response.Trailers is { Count: > 0 } trailers)
            {
                Console.WriteLine();
                Print(trailers);
            }
        }
        else
        {
            Console.WriteLine($"stream {response.StreamId}: {response.StatusCode}, {content.Length} octets");
        }
    }

    while (client.PushedResponses.TryRead(out H2PushedResponse? pushed))
    {
        H2ClientResponse response = await pushed.Response;
        Console.WriteLine($"pushed on stream {pushed.StreamId}: {pushed.Path} -> {response.StatusCode}, {(await response.Body.ReadToEndAsync()).Length} octets");
    }

    return ok ? 0 : 1;
}
catch (Exception e) when (e is IOException or SocketException or AuthenticationException or H2Exception or OperationCanceledException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static void Print(IReadOnlyList<HeaderField> fields)
{
    foreach (HeaderField field in fields)
    {
        Console.WriteLine(field.Name == ":status" ? $"HTTP/2 {field.Value}" : $"{field.Name}: {field.Value}");
    }
}
