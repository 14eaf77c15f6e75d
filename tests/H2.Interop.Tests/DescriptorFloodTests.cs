using System.Net;
using System.Net.Sockets;

namespace H2.Interop.Tests;

/// <summary>
/// The example server run under a low limit on file descriptors (ulimit -n 256) and flooded with
/// idle HTTP/2 connections (preface and SETTINGS, then nothing) from one host: by default it holds
/// no more connections than leave the runtime descriptors of its own (once they run out, .NET
/// itself aborts, "Out of memory.", when it next starts a thread), keeps serving in turn, and
/// serves again once the flood ends. (Accepting through EMFILE is tested in H2.Net.Tests.)
/// </summary>
public sealed class DescriptorFloodTests
{
    private const int Limit = 256;
    private const int Flood = 400;

    [Fact]
    public async Task IdleConnectionFlood_UnderALowDescriptorLimit_DoesNotStopTheServer()
    {
        string curl = Tools.Require("curl", "curl");
        await using ExampleServer server = await ExampleServer.StartWithDescriptorLimitAsync(Limit, "--quiet", "--idle-timeout", "2");
        var flood = new List<Socket>();
        try
        {
            byte[] preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];
            for (int i = 0; i < Flood; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), connecting.Token);
                await socket.SendAsync(preface);
            }

            // While the flood holds every descriptor it can, a request waits its turn and is served
            // once the idle connections time out.
            (int code, string output, string error) = await Tools.RunAsync(
                curl, ["-sS", "--http2-prior-knowledge", "--max-time", "60", "-o", "/dev/null", "-w", "%{http_code}", server.Http.ToString()], TimeSpan.FromSeconds(90));
            Assert.True(code == 0 && output == "200", "during the flood: " + Tools.Describe(code, output, error) + string.Join('\n', server.Lines));
        }
        finally
        {
            foreach (Socket socket in flood)
            {
                socket.Dispose();
            }
        }

        (int after, string body, string stderr) = await Tools.RunAsync(
            curl, ["-sS", "--http2-prior-knowledge", "--max-time", "30", "-o", "/dev/null", "-w", "%{http_code}", server.Http.ToString()], TimeSpan.FromSeconds(60));
        Assert.True(after == 0 && body == "200", "after the flood: " + Tools.Describe(after, body, stderr) + string.Join('\n', server.Lines));
        Assert.False(server.HasExited, string.Join('\n', server.Lines));
        Assert.Equal(0, await server.StopAsync());
    }
}
