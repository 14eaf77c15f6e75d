using System.Diagnostics;
using System.Globalization;
using H2.Net.Server;

namespace H2.Examples.Server;

/// <summary>One line per request on stdout: method, path, status, body octets, duration.</summary>
internal sealed class RequestLog(bool quiet)
{
    private readonly object _console = new();

    public H2RequestHandler Wrap(H2RequestHandler handler) => async context =>
    {
        long start = Stopwatch.GetTimestamp();
        string outcome = "";
        try
        {
            await handler(context);
            await context.Response.CompleteAsync();
        }
        catch (Exception) when (context.Aborted.IsCancellationRequested)
        {
            outcome = " (reset)";
        }
        finally
        {
            if (!quiet)
            {
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                string line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{DateTime.UtcNow:HH:mm:ss.fff} {context.RemoteEndPoint} {context.Request.Method} {context.Request.Path} {context.Response.StatusCode} {context.Response.BytesSent}B {ms:0.0}ms{(context.IsTls ? " tls" : "")} HTTP/2{outcome}");
                lock (_console)
                {
                    Console.WriteLine(line);
                }
            }
        }
    };
}
