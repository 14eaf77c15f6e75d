using H2.Frames;
using static H2.Tests.Frames.FrameFactory;

namespace H2.Tests.Frames;

/// <summary>Every malformed frame gives the error code RFC 9113 §4 and §6 name, as a connection or stream error.</summary>
public class FrameErrorTests
{
    public static TheoryData<string, byte[], ErrorCode> ConnectionErrors() => new()
    {
        { "DATA on stream 0", Raw(FrameType.Data, 0, 0, "00"), ErrorCode.ProtocolError },
        { "DATA padding fills payload", Raw(FrameType.Data, FrameFlags.Padded, 1, "04aaaaaa"), ErrorCode.ProtocolError },
        { "DATA padding beyond payload", Raw(FrameType.Data, FrameFlags.Padded, 1, "ff00"), ErrorCode.ProtocolError },
        { "DATA padded without pad length", Raw(FrameType.Data, FrameFlags.Padded, 1, ""), ErrorCode.FrameSizeError },
        { "HEADERS on stream 0", Raw(FrameType.Headers, FrameFlags.EndHeaders, 0, "82"), ErrorCode.ProtocolError },
        { "HEADERS padding fills payload", Raw(FrameType.Headers, FrameFlags.Padded | FrameFlags.EndHeaders, 1, "04aaaaaa"), ErrorCode.ProtocolError },
        { "HEADERS padding overlaps priority", Raw(FrameType.Headers, FrameFlags.Padded | FrameFlags.Priority | FrameFlags.EndHeaders, 1, "02000000000f00"), ErrorCode.ProtocolError },
        { "HEADERS too short for priority", Raw(FrameType.Headers, FrameFlags.Priority | FrameFlags.EndHeaders, 1, "00000000"), ErrorCode.FrameSizeError },
        { "PRIORITY on stream 0", Raw(FrameType.Priority, 0, 0, "000000010f"), ErrorCode.ProtocolError },
        { "RST_STREAM on stream 0", Raw(FrameType.RstStream, 0, 0, "00000008"), ErrorCode.ProtocolError },
        { "RST_STREAM too long", Raw(FrameType.RstStream, 0, 1, "0000000800"), ErrorCode.FrameSizeError },
        { "RST_STREAM too short", Raw(FrameType.RstStream, 0, 1, "000000"), ErrorCode.FrameSizeError },
        { "SETTINGS on a stream", Raw(FrameType.Settings, 0, 1, ""), ErrorCode.ProtocolError },
        { "SETTINGS ACK with payload", Raw(FrameType.Settings, FrameFlags.Ack, 0, "000100001000"), ErrorCode.FrameSizeError },
        { "SETTINGS not a multiple of 6", Raw(FrameType.Settings, 0, 0, "0001000010"), ErrorCode.FrameSizeError },
        { "PUSH_PROMISE on stream 0", Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 0, "00000002"), ErrorCode.ProtocolError },
        { "PUSH_PROMISE too short", Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 1, "000000"), ErrorCode.FrameSizeError },
        { "PUSH_PROMISE promises stream 0", Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 1, "00000000"), ErrorCode.ProtocolError },
        { "PUSH_PROMISE promises odd stream", Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 1, "00000003"), ErrorCode.ProtocolError },
        { "PUSH_PROMISE padding too long", Raw(FrameType.PushPromise, FrameFlags.Padded | FrameFlags.EndHeaders, 1, "0500000002"), ErrorCode.ProtocolError },
        { "PING on a stream", Raw(FrameType.Ping, 0, 1, "0000000000000000"), ErrorCode.ProtocolError },
        { "PING too short", Raw(FrameType.Ping, 0, 0, "00000000000000"), ErrorCode.FrameSizeError },
        { "PING too long", Raw(FrameType.Ping, 0, 0, "000000000000000000"), ErrorCode.FrameSizeError },
        { "GOAWAY on a stream", Raw(FrameType.GoAway, 0, 1, "0000000000000000"), ErrorCode.ProtocolError },
        { "GOAWAY too short", Raw(FrameType.GoAway, 0, 0, "00000000000000"), ErrorCode.FrameSizeError },
        { "WINDOW_UPDATE too short", Raw(FrameType.WindowUpdate, 0, 1, "000001"), ErrorCode.FrameSizeError },
        { "WINDOW_UPDATE too long", Raw(FrameType.WindowUpdate, 0, 0, "0000000100"), ErrorCode.FrameSizeError },
        { "WINDOW_UPDATE zero on connection", Raw(FrameType.WindowUpdate, 0, 0, "00000000"), ErrorCode.ProtocolError },
        { "WINDOW_UPDATE zero with reserved bit on connection", Raw(FrameType.WindowUpdate, 0, 0, "80000000"), ErrorCode.ProtocolError },
        { "CONTINUATION alone", Raw(FrameType.Continuation, FrameFlags.EndHeaders, 1, "82"), ErrorCode.ProtocolError },
        { "CONTINUATION on stream 0", Raw(FrameType.Continuation, FrameFlags.EndHeaders, 0, "82"), ErrorCode.ProtocolError },
        { "PRIORITY_UPDATE on a stream", Raw(FrameType.PriorityUpdate, 0, 1, "00000001"), ErrorCode.ProtocolError },
        { "PRIORITY_UPDATE too short", Raw(FrameType.PriorityUpdate, 0, 0, "000001"), ErrorCode.FrameSizeError },
        { "PRIORITY_UPDATE for stream 0", Raw(FrameType.PriorityUpdate, 0, 0, "00000000753d31"), ErrorCode.ProtocolError },
        { "frame over max size", Raw(FrameType.Data, 0, 1, new byte[16385]), ErrorCode.FrameSizeError },
        { "unknown type over max size", Raw((FrameType)0xee, 0, 0, new byte[16385]), ErrorCode.FrameSizeError },
    };

    [Theory]
    [MemberData(nameof(ConnectionErrors))]
    public void MalformedFrame_IsAConnectionErrorWithTheRfcCode(string description, byte[] wire, ErrorCode expected)
    {
        ProtocolException error = ReadError(wire);
        Assert.Equal(expected, error.ErrorCode);
        Assert.False(error.IsStreamError, description);
        Assert.Null(error.StreamId);
    }

    [Fact]
    public void FrameOverMaxSize_IsRejectedFromItsHeaderAlone()
    {
        // Only the header of a 16 MiB DATA frame has arrived: no need to wait for the payload.
        var error = Assert.IsType<FrameTooLargeException>(ReadError(Hex.Bytes("ffffff000000000001")));
        Assert.Equal(ErrorCode.FrameSizeError, error.ErrorCode);
        Assert.Equal(0xffffff, error.Length);
        Assert.Equal(16384, error.MaxFrameSize);
    }

    [Fact]
    public void RaisedMaxFrameSize_AcceptsLargerFrames()
    {
        var reader = new FrameReader { MaxFrameSize = 1 << 20 };
        Frame frame = Assert.Single(Read(Raw(FrameType.Data, 0, 1, new byte[100_000]), reader: reader).Frames);
        Assert.Equal(100_000, ((DataFrame)frame).Data.Length);
    }

    [Fact]
    public void PriorityOfWrongLength_IsAStreamError_AndReadingGoesOn()
    {
        byte[] wire = Concat(Raw(FrameType.Priority, 0, 3, "00000001"), new PingFrame(new byte[8]).ToArray());
        FrameCollector collector = Read(wire);
        ProtocolException error = Assert.Single(collector.StreamErrors);
        Assert.Equal(ErrorCode.FrameSizeError, error.ErrorCode);
        Assert.Equal(3, error.StreamId);
        Assert.True(error.IsStreamError);
        Assert.IsType<PingFrame>(Assert.Single(collector.Frames));
    }

    [Fact]
    public void WindowUpdateOfZeroOnAStream_IsAStreamError_AndReadingGoesOn()
    {
        byte[] wire = Concat(Raw(FrameType.WindowUpdate, 0, 5, "00000000"), new WindowUpdateFrame(5, 10).ToArray());
        FrameCollector collector = Read(wire);
        ProtocolException error = Assert.Single(collector.StreamErrors);
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
        Assert.Equal(5, error.StreamId);
        Assert.Equal(10, Assert.IsType<WindowUpdateFrame>(Assert.Single(collector.Frames)).Increment);
    }

    [Fact]
    public void ReservedBits_AreIgnoredOnRead()
    {
        byte[] wire = Concat(
            Raw(FrameType.Data, 0, 1, "aa"),
            Raw(FrameType.WindowUpdate, 0, 0, "80000010"),
            Raw(FrameType.GoAway, 0, 0, "8000000300000000"),
            Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 1, "80000002"));
        wire[5] |= 0x80; // reserved bit of the DATA frame's stream identifier
        FrameCollector collector = Read(wire);
        Assert.Equal(1, collector.Frames[0].StreamId);
        Assert.Equal(16, ((WindowUpdateFrame)collector.Frames[1]).Increment);
        Assert.Equal(3, ((GoAwayFrame)collector.Frames[2]).LastStreamId);
        Assert.Equal(2, ((PushPromiseFrame)collector.Frames[3]).PromisedStreamId);
    }

    [Fact]
    public void UndefinedFlags_AreIgnored()
    {
        Frame frame = FrameFactory.ReadSingle(Raw(FrameType.Ping, (FrameFlags)0xfe, 0, "0000000000000000"));
        Assert.False(((PingFrame)frame).Ack);
    }

    [Fact]
    public void BadPreface_IsAProtocolError()
    {
        ProtocolException error = ReadError("PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n"u8.ToArray(), new FrameReader(expectClientPreface: true));
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
    }

    [Fact]
    public void AfterAConnectionError_TheReaderKeepsFailing()
    {
        var reader = new FrameReader();
        var collector = new FrameCollector();
        ProtocolException first = Assert.ThrowsAny<ProtocolException>(() => reader.Read(Raw(FrameType.Data, 0, 0, "00"), collector));
        ProtocolException again = Assert.ThrowsAny<ProtocolException>(() => reader.Read(new PingFrame(new byte[8]).ToArray(), collector));
        Assert.Same(first, again);
        Assert.Empty(collector.Frames);
    }

    [Fact]
    public void ExceptionTypes_DeriveFromOneBase()
    {
        Assert.IsAssignableFrom<H2Exception>(new FrameTooLargeException(1, 1));
        Assert.IsAssignableFrom<ProtocolException>(new FrameDataMissingException("x"));
        Assert.Equal(ErrorCode.EnhanceYourCalm, new DenialOfServiceException("x").ErrorCode);
        Assert.Equal(7, new DenialOfServiceException(ErrorCode.RefusedStream, "x", 7).StreamId);
        Assert.Equal(ErrorCode.CompressionError, new H2.Hpack.HpackDecodingException(H2.Hpack.HpackErrorKind.Truncated, "x").ErrorCode);
    }
}
