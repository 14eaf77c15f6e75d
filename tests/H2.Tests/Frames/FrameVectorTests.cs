using H2.Frames;

namespace H2.Tests.Frames;

/// <summary>Byte-exact frames built from the layouts of RFC 9113 §4.1 and §6, RFC 7838, RFC 8336 and RFC 9218.</summary>
public class FrameVectorTests
{
    public static TheoryData<string, Frame> Vectors() => new()
    {
        // length(24) type(8) flags(8) R+stream(32) payload
        { "000005 00 01 00000001 68656c6c6f", new DataFrame(1, "hello"u8.ToArray(), endStream: true) },
        { "000008 00 08 00000003 02 68656c6c6f 0000", new DataFrame(3, "hello"u8.ToArray(), padLength: 2) },
        { "000000 00 00 7fffffff", new DataFrame(int.MaxValue, ReadOnlyMemory<byte>.Empty) },
        { "000003 01 05 00000001 828684", new HeadersFrame(1, new byte[] { 0x82, 0x86, 0x84 }, endStream: true) },
        { "000001 01 00 00000005 82", new HeadersFrame(5, new byte[] { 0x82 }, endHeaders: false) },
        { "00000a 01 2c 00000007 03 80000003 0f 82 000000", new HeadersFrame(7, new byte[] { 0x82 }, priority: new StreamPriority(3, 16, exclusive: true), padLength: 3) },
        { "000005 02 00 00000009 0000000b 07", new PriorityFrame(9, new StreamPriority(11, 8)) },
        { "000005 02 00 00000009 80000000 ff", new PriorityFrame(9, new StreamPriority(0, 256, exclusive: true)) },
        { "000004 03 00 00000005 00000008", new RstStreamFrame(5, ErrorCode.Cancel) },
        { "00000c 04 00 00000000 0001 00002000 0003 00001388", new SettingsFrame([new(SettingCode.HeaderTableSize, 8192), new(SettingCode.MaxConcurrentStreams, 5000)]) },
        { "000006 04 00 00000000 0009 00000001", new SettingsFrame([new(SettingCode.NoRfc7540Priorities, 1)]) },
        { "000000 04 01 00000000", SettingsFrame.Acknowledgement },
        { "000000 04 00 00000000", new SettingsFrame([]) },
        { "000005 05 04 00000001 00000002 82", new PushPromiseFrame(1, 2, new byte[] { 0x82 }) },
        { "000008 05 0c 00000003 02 00000004 82 0000", new PushPromiseFrame(3, 4, new byte[] { 0x82 }, padLength: 2) },
        { "000008 06 00 00000000 0102030405060708", new PingFrame(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }) },
        { "000008 06 01 00000000 0102030405060708", new PingFrame(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, ack: true) },
        { "00000a 07 00 00000000 0000001e 00000009 6869", new GoAwayFrame(30, ErrorCode.CompressionError, "hi"u8.ToArray()) },
        { "000008 07 00 00000000 7fffffff 00000000", new GoAwayFrame(int.MaxValue, ErrorCode.NoError) },
        { "000004 08 00 00000000 7fffffff", new WindowUpdateFrame(0, int.MaxValue) },
        { "000004 08 00 00000032 000003e8", new WindowUpdateFrame(50, 1000) },
        { "000002 09 04 00000001 8286", new ContinuationFrame(1, new byte[] { 0x82, 0x86 }) },
        { "000000 09 00 00000001", new ContinuationFrame(1, ReadOnlyMemory<byte>.Empty, endHeaders: false) },
        { "000017 0a 00 00000000 000b 6578616d706c652e636f6d 6832 3d22 3a38 3030 3022", new AltSvcFrame(0, "example.com", "h2=\":8000\"") },
        { "00000c 0a 00 00000003 0000 6832 3d22 3a38 3030 3022", new AltSvcFrame(3, "", "h2=\":8000\"") },
        { "000017 0c 00 00000000 0009 68747470733a2f2f61 000a 68747470733a2f2f6262", new OriginFrame(["https://a", "https://bb"]) },
        { "000000 0c 00 00000000", new OriginFrame([]) },
        { "000008 10 00 00000000 00000005 753d322c", new PriorityUpdateFrame(5, "u=2,") },
        { "000003 fe 5a 00000007 010203", new UnknownFrame((FrameType)0xfe, (FrameFlags)0x5a, 7, new byte[] { 1, 2, 3 }) },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Write_ProducesTheRfcLayout(string hex, Frame frame)
    {
        Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(frame.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Read_ThenWrite_GivesTheSameBytes(string hex, Frame frame)
    {
        byte[] wire = Hex.Bytes(hex);
        if (frame is HeadersFrame { EndHeaders: false } or ContinuationFrame)
        {
            // The reader joins header blocks; these appear only as parts of one (see FrameReaderTests).
            return;
        }

        // Padding of a header block is not passed on (it is not flow-controlled), so a padded
        // HEADERS or PUSH_PROMISE comes back as the same frame without padding.
        Frame expected = frame switch
        {
            HeadersFrame { PadLength: not null } h => new HeadersFrame(h.StreamId, h.HeaderBlockFragment, h.EndStream, h.EndHeaders, h.Priority),
            PushPromiseFrame { PadLength: not null } p => new PushPromiseFrame(p.StreamId, p.PromisedStreamId, p.HeaderBlockFragment, p.EndHeaders),
            _ => frame,
        };
        Frame read = FrameFactory.ReadSingle(wire);
        Assert.Equal(expected.GetType(), read.GetType());
        Assert.Equal(expected.Header, read.Header);
        Assert.Equal(Hex.Of(expected.ToArray()), Hex.Of(read.ToArray()));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void WriteTo_SpanAndBufferWriter_Agree(string hex, Frame frame)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        frame.WriteTo(writer);
        var span = new byte[frame.Header.Length + FrameHeader.Size + 4];
        int written = frame.WriteTo(span);
        Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(writer.WrittenSpan));
        Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(span.AsSpan(0, written)));
    }
}
