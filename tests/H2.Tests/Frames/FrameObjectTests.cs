using System.Buffers;
using H2.Frames;

namespace H2.Tests.Frames;

/// <summary>Frame objects: every sensible flag combination round-trips, static writers agree, bad arguments are refused.</summary>
public class FrameObjectTests
{
    private static readonly int?[] s_padLengths = [null, 0, 1, 255];
    private static readonly StreamPriority?[] s_priorities = [null, new StreamPriority(0), new StreamPriority(7, 256, exclusive: true), default(StreamPriority)];

    public static IEnumerable<object[]> FlagCombinations()
    {
        foreach (bool endStream in new[] { false, true })
        {
            foreach (int? pad in s_padLengths)
            {
                yield return [new DataFrame(1, new byte[] { 1, 2, 3 }, endStream, pad)];
                yield return [new DataFrame(3, ReadOnlyMemory<byte>.Empty, endStream, pad)];
                foreach (StreamPriority? priority in s_priorities)
                {
                    yield return [new HeadersFrame(5, new byte[] { 0x82, 0x84 }, endStream, endHeaders: true, priority, pad)];
                }
            }
        }

        foreach (int? pad in s_padLengths)
        {
            yield return [new PushPromiseFrame(1, 2, new byte[] { 0x82 }, endHeaders: true, pad)];
        }

        foreach (bool ack in new[] { false, true })
        {
            yield return [new PingFrame(new byte[] { 9, 8, 7, 6, 5, 4, 3, 2 }, ack)];
        }

        yield return [SettingsFrame.Acknowledgement];
        yield return [new SettingsFrame([new(SettingCode.MaxFrameSize, 1 << 20), new(SettingCode.EnableConnectProtocol, 1), new((SettingCode)0xffff, uint.MaxValue)])];
        yield return [new PriorityFrame(1, new StreamPriority(0, 1))];
        yield return [new RstStreamFrame(1, (ErrorCode)0xdeadbeef)];
        yield return [new GoAwayFrame(0, ErrorCode.Http11Required)];
        yield return [new WindowUpdateFrame(9, 1)];
        yield return [new AltSvcFrame(0, "https://a.example", "clear")];
        yield return [new OriginFrame(["https://a.example"])];
        yield return [new PriorityUpdateFrame(int.MaxValue, "")];
        yield return [new UnknownFrame((FrameType)0xff, FrameFlags.None, 0, ReadOnlyMemory<byte>.Empty)];
    }

    [Theory]
    [MemberData(nameof(FlagCombinations))]
    public void EveryFlagCombination_RoundTrips(Frame frame)
    {
        byte[] bytes = frame.ToArray();
        Frame read = FrameFactory.ReadSingle(bytes);
        Assert.Equal(frame.GetType(), read.GetType());
        Assert.Equal(frame.StreamId, read.StreamId);
        if (frame is HeadersFrame { PadLength: not null } or PushPromiseFrame { PadLength: not null })
        {
            Assert.Equal(frame.Flags & ~FrameFlags.Padded, read.Flags);
        }
        else
        {
            Assert.Equal(Hex.Of(bytes), Hex.Of(read.ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(FlagCombinations))]
    public void StaticWriter_WritesWhatTheObjectWrites(Frame frame)
    {
        var writer = new ArrayBufferWriter<byte>();
        switch (frame)
        {
            case DataFrame f: DataFrame.Write(writer, f.StreamId, f.Data.Span, f.EndStream, f.PadLength); break;
            case HeadersFrame f: HeadersFrame.Write(writer, f.StreamId, f.HeaderBlockFragment.Span, 16384, f.EndStream, f.Priority, f.PadLength); break;
            case PushPromiseFrame f: PushPromiseFrame.Write(writer, f.StreamId, f.PromisedStreamId, f.HeaderBlockFragment.Span, 16384, f.PadLength); break;
            case PingFrame f: PingFrame.Write(writer, f.OpaqueData.Span, f.Ack); break;
            case SettingsFrame { Ack: true }: SettingsFrame.WriteAck(writer); break;
            case SettingsFrame f: SettingsFrame.Write(writer, [.. f.Settings]); break;
            case PriorityFrame f: PriorityFrame.Write(writer, f.StreamId, f.Priority); break;
            case RstStreamFrame f: RstStreamFrame.Write(writer, f.StreamId, f.ErrorCode); break;
            case GoAwayFrame f: GoAwayFrame.Write(writer, f.LastStreamId, f.ErrorCode, f.DebugData.Span); break;
            case WindowUpdateFrame f: WindowUpdateFrame.Write(writer, f.StreamId, f.Increment); break;
            case AltSvcFrame f: AltSvcFrame.Write(writer, f.StreamId, f.Origin, f.FieldValue); break;
            case OriginFrame f: OriginFrame.Write(writer, f.Origins); break;
            case PriorityUpdateFrame f: PriorityUpdateFrame.Write(writer, f.PrioritizedStreamId, System.Text.Encoding.Latin1.GetBytes(f.PriorityFieldValue)); break;
            case UnknownFrame f: UnknownFrame.Write(writer, f.Type, f.Flags, f.StreamId, f.Payload.Span); break;
            default: Assert.Fail(frame.ToString()); break;
        }

        Assert.Equal(Hex.Of(frame.ToArray()), Hex.Of(writer.WrittenSpan));
    }

    [Theory]
    [InlineData(0, 16384, 1)]
    [InlineData(1, 16384, 1)]
    [InlineData(16384, 16384, 1)]
    [InlineData(16385, 16384, 2)]
    [InlineData(100, 10, 10)]
    [InlineData(101, 10, 11)]
    public void HeaderBlockWriter_SplitsIntoContinuations(int blockLength, int maxFrameSize, int frames)
    {
        byte[] block = Enumerable.Range(0, blockLength).Select(i => (byte)i).ToArray();
        var writer = new ArrayBufferWriter<byte>();
        HeadersFrame.Write(writer, 1, block, maxFrameSize, endStream: true);

        int count = 0;
        for (ReadOnlySpan<byte> rest = writer.WrittenSpan; !rest.IsEmpty; count++)
        {
            FrameHeader header = FrameHeader.Read(rest);
            Assert.True(header.Length <= maxFrameSize);
            Assert.Equal(count == 0 ? FrameType.Headers : FrameType.Continuation, header.Type);
            Assert.Equal(count == frames - 1, header.HasFlag(FrameFlags.EndHeaders));
            rest = rest[(FrameHeader.Size + header.Length)..];
        }

        Assert.Equal(frames, count);
        var reader = new FrameReader { MaxContinuationFrames = 100 };
        var headers = Assert.IsType<HeadersFrame>(Assert.Single(FrameFactory.Read(writer.WrittenSpan.ToArray(), reader: reader).Frames));
        Assert.Equal(block, headers.HeaderBlockFragment.ToArray());
        Assert.True(headers.EndStream);
    }

    [Fact]
    public void PushPromiseWriter_SplitsIntoContinuations()
    {
        byte[] block = new byte[30];
        var writer = new ArrayBufferWriter<byte>();
        PushPromiseFrame.Write(writer, 1, 2, block, maxFrameSize: 10);
        var push = Assert.IsType<PushPromiseFrame>(Assert.Single(FrameFactory.Read(writer.WrittenSpan.ToArray()).Frames));
        Assert.Equal(30, push.HeaderBlockFragment.Length);
    }

    [Fact]
    public void InvalidArguments_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataFrame(0, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataFrame(1, ReadOnlyMemory<byte>.Empty, padLength: 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataFrame(1, ReadOnlyMemory<byte>.Empty, padLength: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeadersFrame(0, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityFrame(0, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RstStreamFrame(0, ErrorCode.Cancel));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PushPromiseFrame(1, -2, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContinuationFrame(0, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowUpdateFrame(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowUpdateFrame(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GoAwayFrame(-1, ErrorCode.NoError));
        Assert.Throws<ArgumentException>(() => new PingFrame(new byte[7]));
        Assert.Throws<ArgumentException>(() => PingFrame.Write(new ArrayBufferWriter<byte>(), new byte[9]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PriorityUpdateFrame(0, "u=1"));
        Assert.Throws<ArgumentException>(() => new AltSvcFrame(0, "\u2603", "x"));
        Assert.Throws<ArgumentException>(() => new AltSvcFrame(0, new string('a', 70000), "x"));
        Assert.Throws<ArgumentNullException>(() => new AltSvcFrame(0, null!, "x"));
        Assert.Throws<ArgumentException>(() => new OriginFrame(["\u2603"]));
        Assert.Throws<ArgumentException>(() => new OriginFrame([new string('a', 70000)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UnknownFrame(FrameType.Data, 0, -1, ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamPriority(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamPriority(1, 257));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamPriority(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadersFrame.Write(new ArrayBufferWriter<byte>(), 1, new byte[10], maxFrameSize: 5, priority: new StreamPriority(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadersFrame.Write(new ArrayBufferWriter<byte>(), 1, new byte[10], maxFrameSize: 1 << 24));
        Assert.Throws<ArgumentException>(() => DataFrame.Write(new ArrayBufferWriter<byte>(), 1, new byte[1 << 24]));
        Assert.Throws<ArgumentException>(() => new DataFrame(1, new byte[10]).WriteTo(new byte[18]));
        Assert.Throws<ArgumentException>(() => FrameHeader.Read(new byte[8]));
        Assert.Throws<ArgumentException>(() => new FrameHeader(0, FrameType.Data, 0, 1).Write(new byte[8]));
        Assert.Throws<ArgumentException>(() => new FrameHeader(1 << 24, FrameType.Data, 0, 1).Write(new byte[9]));
        Assert.Throws<ArgumentException>(() => new FrameHeader(0, FrameType.Data, 0, -1).Write(new byte[9]));
    }

    [Fact]
    public void DefaultPriority_IsTheRfcDefault()
    {
        StreamPriority priority = default;
        Assert.Equal(0, priority.DependsOn);
        Assert.Equal(StreamPriority.DefaultWeight, priority.Weight);
        Assert.False(priority.Exclusive);
        Assert.Equal(new StreamPriority(0), priority);
    }

    [Fact]
    public void FrameHeader_ReportsFlags_AndFramesDescribeThemselves()
    {
        var header = new FrameHeader(0, FrameType.Headers, FrameFlags.EndHeaders | FrameFlags.Priority, 1);
        Assert.True(header.HasFlag(FrameFlags.Priority));
        Assert.False(header.HasFlag(FrameFlags.Padded));
        Assert.Equal("Ping frame (stream 0, flags Ack, 8 octets)", new PingFrame(new byte[8], ack: true).ToString());
        Assert.Equal(Setting.Size, 6);
        Assert.Equal("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", System.Text.Encoding.ASCII.GetString(FrameReader.ClientPreface));
    }

    [Fact]
    public void SettingsPayload_EnumeratesAndIndexes()
    {
        var handler = new SettingsProbe();
        var reader = new FrameReader();
        reader.Read(new SettingsFrame([new(SettingCode.HeaderTableSize, 1), new(SettingCode.EnablePush, 0)]).ToArray(), handler);
        Assert.Equal([new(SettingCode.HeaderTableSize, 1), new(SettingCode.EnablePush, 0)], handler.Seen);
    }

    private sealed class SettingsProbe : IFrameHandler
    {
        public List<Setting> Seen { get; } = [];

        public void OnSettings(bool ack, SettingsPayload settings)
        {
            foreach (Setting setting in settings)
            {
                Seen.Add(setting);
            }

            Assert.Equal(Seen[^1], settings[settings.Count - 1]);
        }

        public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength) { }

        public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority) { }

        public void OnPriority(int streamId, StreamPriority priority) { }

        public void OnRstStream(int streamId, ErrorCode errorCode) { }

        public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders) { }

        public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders) { }

        public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData) { }

        public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData) { }

        public void OnWindowUpdate(int streamId, int increment) { }

        public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue) { }

        public void OnOrigin(IReadOnlyList<string> origins) { }

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue) { }

        public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload) { }

        public void OnStreamError(ProtocolException exception) { }
    }
}
