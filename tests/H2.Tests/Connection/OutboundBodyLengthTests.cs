using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>Our own messages must match their content-length (RFC 9113 §8.1.1): a local misuse otherwise.</summary>
public class OutboundBodyLengthTests
{
    [Fact]
    public void BodyLongerThanContentLength_Throws()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [.. Post(), ("content-length", "3")]);
        pair.Client.SendData(1, [1, 2]);
        var error = Assert.Throws<InvalidBodyLengthException>(() => pair.Client.SendData(1, [3, 4]));
        Assert.Equal(1, error.StreamId);
        pair.Client.SendData(1, [3], endStream: true);
    }

    [Fact]
    public void EndingShortOfContentLength_Throws()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [.. Post(), ("content-length", "3")]);
        pair.Client.SendData(1, [1]);
        Assert.Throws<InvalidBodyLengthException>(() => pair.Client.EndStream(1));
        Assert.Throws<InvalidBodyLengthException>(() => pair.Client.SendHeaders(1, [("x-trailer", "1")], endStream: true));
        Assert.Throws<InvalidBodyLengthException>(() => new ConnectionPair().Client.SendHeaders(1, [.. Post(), ("content-length", "3")], endStream: true));
    }

    [Fact]
    public void ResponseToHead_HasNoBodyWhateverItsContentLength()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [(":method", "HEAD"), (":scheme", "https"), (":authority", "a"), (":path", "/")], endStream: true);
        pair.Exchange();
        Assert.Throws<InvalidBodyLengthException>(() =>
        {
            pair.Server.SendHeaders(1, Ok(("content-length", "10")));
            pair.Server.SendData(1, [1]);
        });
        pair.Server.EndStream(1);
    }

    [Fact]
    public void NoContentLength_AllowsAnyBody()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[1000], endStream: true);
    }

    [Fact]
    public void InformationalResponses_DoNotSetTheBodyLength()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Get(), endStream: true);
        pair.Exchange();
        pair.Server.SendHeaders(1, [(":status", "103"), ("content-length", "99")]);
        pair.Server.SendHeaders(1, Ok(("content-length", "2")));
        pair.Server.SendData(1, [1, 2], endStream: true);
    }
}
