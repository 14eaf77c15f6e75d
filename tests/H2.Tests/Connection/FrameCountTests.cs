using H2.Hpack;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class FrameCountTests
{
    [Fact]
    public void FramesSent_AndFramesReceived_CountEveryFrameBothWays()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[10]);
        pair.Client.SendData(1, new ReadOnlyMemory<byte>(new byte[10]), endStream: true);
        pair.Client.Ping("12345678"u8);
        pair.Exchange();

        Assert.Equal(pair.Client.FramesSent, pair.Server.FramesReceived);
        Assert.Equal(pair.Server.FramesSent, pair.Client.FramesReceived);

        // SETTINGS, SETTINGS ACK, HEADERS, two DATA (one copied, one lent), PING.
        Assert.Equal(6, pair.Client.FramesSent);
    }

    [Fact]
    public void FramesReceived_CountsAHeaderBlockAsItsFrames()
    {
        var pair = new ConnectionPair();
        long before = pair.Server.FramesReceived;
        HeaderField[] large = [.. Post(), ("x-big", new string('~', 40000))];
        pair.Client.SendHeaders(1, large, endStream: true);
        pair.Exchange();

        // '~' does not shrink under Huffman coding: 40,000 octets are one HEADERS and two CONTINUATION frames at the default 16 KiB frame size.
        Assert.Equal(3, pair.Server.FramesReceived - before);
    }
}
