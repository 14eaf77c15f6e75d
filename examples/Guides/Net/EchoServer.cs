using System.Net;
using H2.Net.Server;
using Microsoft.Extensions.Logging;

namespace H2.Guides.Net;

public static class EchoServer
{
    public static async Task RunAsync(ILoggerFactory logging, CancellationToken stop)
    {
        var options = new H2ServerOptions { LoggerFactory = logging };
        await using var server = new H2Server(HandleAsync, options);
        server.Listen(new IPEndPoint(IPAddress.Loopback, 8080));
        await Task.Delay(Timeout.Infinite, stop);
    }

    public static async Task HandleAsync(H2RequestContext context)
    {
        H2ServerRequest request = context.Request;
        H2ServerResponse response = context.Response;
        if (request.Method != "POST")
        {
            response.StatusCode = 405;
            response.Headers.Add(("allow", "POST"));
            return;
        }

        byte[] body;
        try
        {
            // At most 1 MiB in memory: a larger declared content-length fails before any read.
            body = await request.Body.ReadToEndAsync(maxLength: 1 << 20, context.Aborted);
        }
        catch (InvalidDataException)
        {
            response.StatusCode = 413;
            return;
        }

        response.Headers.Add(("content-type", request.GetHeader("Content-Type") ?? "application/octet-stream"));
        response.Headers.Add(("trailer", "x-request-trailers"));
        await response.WriteAsync(body, context.Aborted);

        // Trailers the client sent arrive once the body is read; these are ours, after our body.
        response.Trailers.Add(("x-request-trailers", (request.Body.Trailers?.Count ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
