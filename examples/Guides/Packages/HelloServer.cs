using System.Net;
using H2.Net.Server;

namespace H2.Guides.Packages;

public static class HelloServer
{
    public static async Task RunAsync(CancellationToken stop)
    {
        await using var server = new H2Server(async context =>
        {
            context.Response.Headers.Add(("content-type", "text/plain"));
            await context.Response.WriteAsync("hello\n"u8.ToArray(), context.Aborted);
        });

        // curl --http2-prior-knowledge http://localhost:8080/
        server.Listen(new IPEndPoint(IPAddress.Loopback, 8080));
        await Task.Delay(Timeout.Infinite, stop);
    }
}
