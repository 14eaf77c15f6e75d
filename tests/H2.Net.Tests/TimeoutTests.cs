using System.Buffers;
using System.Net;
using System.Net.Sockets;
using H2.Frames;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>Connections that stall are closed: before the preface, while idle, inside a header block, and inside a frame.</summary>
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

    [Fact]
    public async Task ConnectionThatOnlyPings_IsClosedWhenIdle()
    {
        // PINGs open no stream: they are answered, but do not keep an idle connection alive.
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        using (RawConnection client = await RawConnection.OpenAsync(endPoint))
        {
            Task<Frame> goAway = client.WaitForAsync(f => f is GoAwayFrame, "GOAWAY");
            for (int i = 0; i < 100 && !goAway.IsCompleted; i++)
            {
                await client.SendAsync(RawConnection.Write(w => PingFrame.Write(w, "keepme!!"u8)));
                await Task.Delay(100);
            }

            Assert.Equal(ErrorCode.NoError, ((GoAwayFrame)await goAway).ErrorCode);
        }
    }

    [Fact]
    public async Task ConnectionWithAStreamOpen_IsNotIdle()
    {
        var server = new H2Server(
            async context =>
            {
                await Task.Delay(1500);
                await context.Response.WriteAsync("late"u8.ToArray());
            },
            new H2ServerOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/")))
        {
            H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/"));
            Assert.Equal("late"u8.ToArray(), await response.Body.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task FrameSentAnOctetAtATime_ClosesTheConnection()
    {
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        using (RawConnection client = await RawConnection.OpenAsync(endPoint))
        {
            // A frame header that announces 16,000 octets, then one octet at a time: each would
            // once have counted as activity.
            await client.SendAsync([0x00, 0x3e, 0x80, (byte)FrameType.Ping, 0, 0, 0, 0, 0]);
            Task<Frame> goAway = client.WaitForAsync(f => f is GoAwayFrame, "GOAWAY");
            for (int i = 0; i < 100 && !goAway.IsCompleted; i++)
            {
                await client.SendAsync([0x61]);
                await Task.Delay(100);
            }

            Assert.Equal(ErrorCode.EnhanceYourCalm, ((GoAwayFrame)await goAway).ErrorCode);
        }
    }

    [Fact]
    public async Task FramesThatEachArriveInParts_ButInTime_AreNotCutOff()
    {
        (H2Server server, IPEndPoint endPoint) = Start(new H2ServerOptions { FrameTimeout = TimeSpan.FromMilliseconds(500) });
        await using (server)
        using (RawConnection client = await RawConnection.OpenAsync(endPoint))
        {
            // For 2 s there is nearly always part of a frame waiting, but never the same one for long.
            for (int i = 0; i < 20; i++)
            {
                byte[] ping = RawConnection.Write(w => PingFrame.Write(w, BitConverter.GetBytes((long)i)));
                await client.SendAsync(ping[..12]);
                await Task.Delay(100);
                await client.SendAsync(ping[12..]);
            }

            await client.SyncAsync();
            Assert.DoesNotContain(client.Frames(), f => f is GoAwayFrame);
        }
    }
}
