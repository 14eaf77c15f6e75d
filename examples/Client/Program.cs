using System.CommandLine;
using System.Net.Sockets;
using System.Security.Authentication;
using H2;
using H2.Hpack;
using H2.Net.Client;

// A small curl for HTTP/2 on H2.Net: GET or POST, prior knowledge, Upgrade: h2c or TLS (ALPN h2),
// several concurrent requests on one connection, informational and pushed responses shown. As
// curl, the body goes to stdout (or --output) byte for byte, streamed, and nothing else does
// unless asked: -i puts the response head before it, -v writes heads and details to stderr.
var url = new Argument<string>("url") { Description = "http:// or https:// address." };
var data = new Option<string?>("--data", "-d") { Description = "POST this text as the body." };
var dataFile = new Option<FileInfo?>("--data-file") { Description = "POST this file as the body." };
var upgrade = new Option<bool>("--upgrade") { Description = "For http://, start with HTTP/1.1 and Upgrade: h2c instead of prior knowledge." };
var insecure = new Option<bool>("--insecure", "-k") { Description = "Accept any TLS certificate (self-signed test servers)." };
var count = new Option<int>("-n") { Description = "Send this many requests at once on the one connection.", DefaultValueFactory = _ => 1 };
var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the body here instead of to stdout." };
var headers = new Option<string[]>("--header", "-H") { Description = "Add a request header, as 'name: value'.", AllowMultipleArgumentsPerToken = false };
var include = new Option<bool>("--include", "-i") { Description = "Write the response head (status line and fields) before the body." };
var verbose = new Option<bool>("--verbose", "-v") { Description = "Write the response heads, informational responses, trailers and pushes to stderr." };
var maxTime = new Option<double?>("--max-time", "-m") { Description = "Give up after this many seconds in all (exit code 28, as curl)." };
var root = new RootCommand("H2Sharp example HTTP/2 client.") { url, data, dataFile, upgrade, insecure, count, output, headers, include, verbose, maxTime };

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

if (parsed.GetValue(maxTime) is <= 0)
{
    Console.Error.WriteLine("error: --max-time must be more than 0");
    return 2;
}

bool includeHead = parsed.GetValue(include);
bool details = parsed.GetValue(verbose);
using var deadline = parsed.GetValue(maxTime) is double seconds ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
CancellationToken stop = deadline.Token;

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
    await using H2Client client = await H2Client.ConnectAsync(uri, options, stop);
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
        responses.Add(client.SendAsync(request, stop));
    }

    bool ok = true;
    for (int i = 0; i < responses.Count; i++)
    {
        H2ClientResponse response = await responses[i].WaitAsync(stop);
        ok &= response.StatusCode is >= 200 and < 400;
        if (i > 0)
        {
            // The other responses are counted, not shown.
            long length = await CountAsync(response.Body, stop);
            Console.Error.WriteLine($"stream {response.StreamId}: {response.StatusCode}, {length} octets");
            continue;
        }

        foreach (IReadOnlyList<HeaderField> informational in response.InformationalResponses)
        {
            WriteHead(informational);
        }

        WriteHead(response.Headers);

        // The body streams through as it arrives, byte for byte, never held whole.
        if (parsed.GetValue(output) is FileInfo target)
        {
            await using FileStream destination = File.Create(target.FullName);
            await response.Body.CopyToAsync(destination, stop);
        }
        else
        {
            await using Stream stdout = Console.OpenStandardOutput();
            await response.Body.CopyToAsync(stdout, stop);
            await stdout.FlushAsync(stop);
        }

        if (details && response.Trailers is { Count: > 0 } trailers)
        {
            Print(Console.Error, trailers);
        }
    }

    while (client.PushedResponses.TryRead(out H2PushedResponse? pushed))
    {
        H2ClientResponse response = await pushed.Response.WaitAsync(stop);
        long length = await CountAsync(response.Body, stop);
        if (details)
        {
            Console.Error.WriteLine($"pushed on stream {pushed.StreamId}: {pushed.Path} -> {response.StatusCode}, {length} octets");
        }
    }

    return ok ? 0 : 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine($"error: operation timed out after {parsed.GetValue(maxTime)} s (--max-time)");
    return 28;
}
catch (Exception e) when (e is IOException or SocketException or AuthenticationException or H2Exception or OperationCanceledException or TimeoutException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return e is TimeoutException ? 28 : 1;
}

void WriteHead(IReadOnlyList<HeaderField> fields)
{
    if (includeHead)
    {
        Print(Console.Out, fields);
        Console.Out.WriteLine();
        Console.Out.Flush();
    }

    if (details)
    {
        Print(Console.Error, fields);
        Console.Error.WriteLine();
    }
}

static async Task<long> CountAsync(Stream body, CancellationToken cancellationToken)
{
    byte[] buffer = new byte[16384];
    long total = 0;
    int read;
    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
    {
        total += read;
    }

    return total;
}

static void Print(TextWriter writer, IReadOnlyList<HeaderField> fields)
{
    foreach (HeaderField field in fields)
    {
        writer.WriteLine(field.Name == ":status" ? $"HTTP/2 {field.Value}" : $"{field.Name}: {field.Value}");
    }
}
