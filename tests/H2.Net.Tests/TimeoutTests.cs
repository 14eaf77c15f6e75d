using System.Buffers;
using System.Net;
using System.Net.Sockets;
using H2.Frames;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>Connections that stall are closed: before the preface, while idle, and inside a header block.</summary>
public class TimeoutTests
{
    private static (H2Server Server, IPEndPoint EndPoint) Start(H2ServerOptions options)
    {
        var server = new H2Server(c => c.Response.WriteAsync("ok"u8.ToArray()), options);
        return (server, server.Listen(new IPEndPoint(IPAddress.Loopback, 0)));
    }

    private static async Task<bool> ClosedWithinAsync(NetworkStream stream, TimeSpan limit)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            while (await stream.ReadAsync(buffer, cancel.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Fact]
    public async Task SilentConnection_IsClosedAfterTheHandshakeTimeout()
    {
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endPoint);
            Assert.True(await ClosedWithinAsync(tcp.GetStream(), TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task IdleConnection_IsClosedWithGoAway()
    {
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        {
            H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/"));
            Assert.Equal(200, (await client.SendAsync(new H2ClientRequest("GET", "/"))).StatusCode);
            await client.Completion.WaitAsync(TimeSpan.FromSeconds(10));
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task UnfinishedHeaderBlock_ClosesTheConnection()
    {
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { HeaderBlockTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endPoint);
            NetworkStream stream = tcp.GetStream();
            var writer = new System.Buffers.ArrayBufferWriter<byte>();
            writer.Write(FrameReader.ClientPreface);
            SettingsFrame.Write(writer, []);
            UnknownFrame.Write(writer, FrameType.Headers, FrameFlags.None, 1, [0x82]); // no END_HEADERS, and no CONTINUATION follows
            await stream.WriteAsync(writer.WrittenMemory);
            Assert.True(await ClosedWithinAsync(stream, TimeSpan.FromSeconds(10)));
        }
    }
}
