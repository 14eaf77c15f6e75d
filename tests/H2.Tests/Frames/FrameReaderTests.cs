using System.Buffers;
using CsCheck;
using H2.Frames;
using static H2.Tests.Frames.FrameFactory;

namespace H2.Tests.Frames;

public class FrameReaderTests
{
    /// <summary>A long client-side capture touching every frame type, flag and header-block shape.</summary>
    internal static byte[] Capture()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        writer.Write(FrameReader.ClientPreface);
        SettingsFrame.Write(writer, [new(SettingCode.EnablePush, 0), new(SettingCode.InitialWindowSize, 65535), new((SettingCode)0x77, 9)]);
        SettingsFrame.WriteAck(writer);
        WindowUpdateFrame.Write(writer, 0, 1 << 20);
        HeadersFrame.Write(writer, 1, Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(), maxFrameSize: 40, endStream: false, priority: new StreamPriority(0, 201), padLength: 7);
        DataFrame.Write(writer, 1, new byte[1000], endStream: false, padLength: 255);
        DataFrame.Write(writer, 1, [], endStream: true);
        HeadersFrame.Write(writer, 3, [0x82, 0x86], maxFrameSize: 16384, endStream: true);
        PriorityFrame.Write(writer, 5, new StreamPriority(3, 1, exclusive: true));
        PingFrame.Write(writer, "abcdefgh"u8);
        PingFrame.Write(writer, "abcdefgh"u8, ack: true);
        RstStreamFrame.Write(writer, 3, ErrorCode.Cancel);
        PushPromiseFrame.Write(writer, 1, 2, Enumerable.Range(0, 50).Select(i => (byte)(i * 3)).ToArray(), maxFrameSize: 16, padLength: 1);
        AltSvcFrame.Write(writer, 0, "https://example.com", "h2=\":443\"");
        OriginFrame.Write(writer, ["https://example.com", "https://example.org"]);
        PriorityUpdateFrame.Write(writer, 1, "u=0, i"u8);
        UnknownFrame.Write(writer, (FrameType)0x42, (FrameFlags)0xff, 9, "extension"u8);
        GoAwayFrame.Write(writer, 3, ErrorCode.NoError, "bye"u8);
        return writer.WrittenSpan.ToArray();
    }

    private static string[] Serialized(FrameCollector collector) => [.. collector.Frames.Select(f => Hex.Of(f.ToArray()))];

    [Fact]
    public void Capture_FedOneByteAtATime_GivesTheSameFramesAsFedWhole()
    {
        byte[] capture = Capture();
        FrameCollector whole = Read(capture, reader: new FrameReader(expectClientPreface: true));
        FrameCollector bytewise = Read(capture, chunkSize: 1, reader: new FrameReader(expectClientPreface: true));
        Assert.Equal(17, whole.Frames.Count);
        Assert.Equal(Serialized(whole), Serialized(bytewise));
        Assert.Empty(whole.StreamErrors);
    }

    [Fact]
    public void Capture_InRandomChunks_GivesTheSameFrames()
    {
        byte[] capture = Capture();
        string[] expected = Serialized(Read(capture, reader: new FrameReader(expectClientPreface: true)));
        Gen.Int[1, 200].Array[1, 60].Sample(chunks =>
        {
            var reader = new FrameReader(expectClientPreface: true);
            var collector = new FrameCollector();
            int offset = 0;
            int next = 0;
            while (offset < capture.Length)
            {
                int size = Math.Min(chunks[next++ % chunks.Length], capture.Length - offset);
                reader.Read(capture.AsSpan(offset, size), collector);
                offset += size;
            }

            Assert.Equal(expected, Serialized(collector));
            Assert.Equal(0, reader.BufferedLength);
        }, iter: 300);
    }

    [Fact]
    public void Capture_FramesCarryWhatWasWritten()
    {
        FrameCollector collector = Read(Capture(), reader: new FrameReader(expectClientPreface: true));
        var settings = Assert.IsType<SettingsFrame>(collector.Frames[0]);
        Assert.Equal([new(SettingCode.EnablePush, 0), new(SettingCode.InitialWindowSize, 65535), new((SettingCode)0x77, 9)], settings.Settings);
        Assert.True(Assert.IsType<SettingsFrame>(collector.Frames[1]).Ack);

        var headers = Assert.IsType<HeadersFrame>(collector.Frames[3]);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), headers.HeaderBlockFragment.ToArray());
        Assert.Equal(new StreamPriority(0, 201), headers.Priority);
        Assert.True(headers.EndHeaders);
        Assert.False(headers.EndStream);

        var data = Assert.IsType<DataFrame>(collector.Frames[4]);
        Assert.Equal(1000, data.Data.Length);
        Assert.Equal(255, data.PadLength);
        Assert.Equal(1256, data.FlowControlledLength);

        var push = Assert.IsType<PushPromiseFrame>(collector.Frames[11]);
        Assert.Equal(2, push.PromisedStreamId);
        Assert.Equal(50, push.HeaderBlockFragment.Length);

        var altsvc = Assert.IsType<AltSvcFrame>(collector.Frames[12]);
        Assert.Equal("https://example.com", altsvc.Origin);
        Assert.Equal("h2=\":443\"", altsvc.FieldValue);
        Assert.Equal(["https://example.com", "https://example.org"], Assert.IsType<OriginFrame>(collector.Frames[13]).Origins);
        Assert.Equal("u=0, i", Assert.IsType<PriorityUpdateFrame>(collector.Frames[14]).PriorityFieldValue);

        var unknown = Assert.IsType<UnknownFrame>(collector.Frames[15]);
        Assert.Equal((FrameType)0x42, unknown.Type);
        Assert.Equal((FrameFlags)0xff, unknown.Flags);
        Assert.Equal("extension"u8.ToArray(), unknown.Payload.ToArray());
        Assert.Equal("bye"u8.ToArray(), Assert.IsType<GoAwayFrame>(collector.Frames[16]).DebugData.ToArray());
    }

    [Fact]
    public void MultiSegmentSequence_GivesTheSameFrames()
    {
        byte[] capture = Capture();
        var first = new Segment(capture.AsMemory(0, 100));
        Segment last = first.Append(capture.AsMemory(100, 1000)).Append(capture.AsMemory(1100));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        var collector = new FrameCollector();
        new FrameReader(expectClientPreface: true).Read(sequence, collector);
        var single = new FrameCollector();
        new FrameReader(expectClientPreface: true).Read(new ReadOnlySequence<byte>(capture), single);
        string[] expected = Serialized(Read(capture, reader: new FrameReader(expectClientPreface: true)));
        Assert.Equal(expected, Serialized(collector));
        Assert.Equal(expected, Serialized(single));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    [Fact]
    public void Preface_IsCheckedAcrossChunks()
    {
        var reader = new FrameReader(expectClientPreface: true);
        var collector = new FrameCollector();
        reader.Read("PRI * HTTP/2.0\r\n"u8, collector);
        Assert.ThrowsAny<ProtocolException>(() => reader.Read("\r\nXM"u8, collector));
    }

    [Fact]
    public void Preface_IsNotExpectedByDefault()
    {
        Assert.Equal(ErrorCode.FrameSizeError, ReadError("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray()).ErrorCode);
    }

    [Fact]
    public void HeadersAndContinuations_AreJoinedIntoOneFrame()
    {
        byte[] wire = Concat(
            Raw(FrameType.Headers, FrameFlags.EndStream | FrameFlags.Priority, 1, "8000000305" + "0102"),
            Raw(FrameType.Continuation, 0, 1, ""),
            Raw(FrameType.Continuation, 0, 1, "0304"),
            Raw(FrameType.Continuation, FrameFlags.EndHeaders, 1, "05"));
        var reader = new FrameReader();
        var collector = new FrameCollector();
        reader.Read(wire.AsSpan(0, 9 + 7 + 9), collector);
        Assert.True(reader.IsInHeaderBlock);
        Assert.Empty(collector.Frames);
        reader.Read(wire.AsSpan(9 + 7 + 9), collector);
        Assert.False(reader.IsInHeaderBlock);

        var headers = Assert.IsType<HeadersFrame>(Assert.Single(collector.Frames));
        Assert.Equal("0102030405", Hex.Of(headers.HeaderBlockFragment.Span));
        Assert.True(headers.EndStream);
        Assert.Equal(new StreamPriority(3, 6, exclusive: true), headers.Priority);
    }

    [Fact]
    public void PushPromiseAndContinuation_AreJoinedIntoOneFrame()
    {
        byte[] wire = Concat(
            Raw(FrameType.PushPromise, 0, 3, "00000004" + "aa"),
            Raw(FrameType.Continuation, FrameFlags.EndHeaders, 3, "bb"));
        var push = Assert.IsType<PushPromiseFrame>(FrameFactory.ReadSingle(wire));
        Assert.Equal(4, push.PromisedStreamId);
        Assert.Equal("aabb", Hex.Of(push.HeaderBlockFragment.Span));
    }

    [Theory]
    [InlineData(FrameType.Data, 1)]
    [InlineData(FrameType.Ping, 0)]
    [InlineData(FrameType.Headers, 1)]
    [InlineData(FrameType.Continuation, 3)]
    [InlineData((FrameType)0xee, 0)]
    public void AnyOtherFrameInsideAHeaderBlock_IsAProtocolError(FrameType type, int streamId)
    {
        byte[] intruder = type switch
        {
            FrameType.Ping => new PingFrame(new byte[8]).ToArray(),
            _ => Raw(type, 0, streamId, "00"),
        };
        byte[] wire = Concat(Raw(FrameType.Headers, 0, 1, "82"), intruder, Raw(FrameType.Continuation, FrameFlags.EndHeaders, 1, "84"));
        Assert.Equal(ErrorCode.ProtocolError, ReadError(wire).ErrorCode);
    }

    [Fact]
    public void ContinuationLimit_AllowsExactlyTheBound()
    {
        var parts = new List<byte[]> { Raw(FrameType.Headers, 0, 1, "82") };
        for (int i = 0; i < FrameReader.DefaultMaxContinuationFrames - 1; i++)
        {
            parts.Add(Raw(FrameType.Continuation, 0, 1, "84"));
        }

        parts.Add(Raw(FrameType.Continuation, FrameFlags.EndHeaders, 1, "86"));
        Assert.Equal(2 + FrameReader.DefaultMaxContinuationFrames, ((HeadersFrame)FrameFactory.ReadSingle(Concat([.. parts]))).HeaderBlockFragment.Length + 1);
    }

    [Fact]
    public void ContinuationFlood_IsEnhanceYourCalm()
    {
        var parts = new List<byte[]> { Raw(FrameType.Headers, 0, 1, "82") };
        for (int i = 0; i < 1000; i++)
        {
            parts.Add(Raw(FrameType.Continuation, 0, 1, ""));
        }

        var error = Assert.IsType<DenialOfServiceException>(ReadError(Concat([.. parts])));
        Assert.Equal(ErrorCode.EnhanceYourCalm, error.ErrorCode);
    }

    [Fact]
    public void HeaderBlockOverTheSizeBound_IsEnhanceYourCalm()
    {
        var reader = new FrameReader { MaxHeaderBlockSize = 20 };
        byte[] wire = Concat(Raw(FrameType.Headers, 0, 1, new byte[15]), Raw(FrameType.Continuation, FrameFlags.EndHeaders, 1, new byte[6]));
        Assert.IsType<DenialOfServiceException>(ReadError(wire, reader));

        var single = new FrameReader { MaxHeaderBlockSize = 20 };
        Assert.IsType<DenialOfServiceException>(ReadError(Raw(FrameType.Headers, FrameFlags.EndHeaders, 1, new byte[21]), single));
        Assert.IsType<DenialOfServiceException>(ReadError(Raw(FrameType.Headers, 0, 1, new byte[21]), new FrameReader { MaxHeaderBlockSize = 20 }));
        Assert.IsType<DenialOfServiceException>(ReadError(Raw(FrameType.PushPromise, FrameFlags.EndHeaders, 1, [0, 0, 0, 2, .. new byte[21]]), new FrameReader { MaxHeaderBlockSize = 20 }));
    }

    [Fact]
    public void MalformedOrMisplacedExtensionFrames_AreHandedOnAsUnknown()
    {
        byte[] wire = Concat(
            Raw(FrameType.AltSvc, 0, 0, "00"), // too short for Origin-Len
            Raw(FrameType.AltSvc, 0, 0, "0009616263"), // Origin-Len beyond the payload
            Raw(FrameType.Origin, 0, 1, "0001 61"), // ORIGIN on a stream
            Raw(FrameType.Origin, 0, 0, "0005 61"), // entry beyond the payload
            Raw(FrameType.Origin, 0, 0, "00"), // half a length
            Raw(FrameType.AltSvc, 0, 0, "0000 6832"), // stream 0 without an origin
            Raw(FrameType.AltSvc, 0, 3, "0001 78 6832")); // a stream with an origin
        FrameCollector collector = Read(wire);
        Assert.Equal(7, collector.Frames.Count);
        Assert.All(collector.Frames, f => Assert.IsType<UnknownFrame>(f));
        Assert.Equal([FrameType.AltSvc, FrameType.AltSvc, FrameType.Origin, FrameType.Origin, FrameType.Origin, FrameType.AltSvc, FrameType.AltSvc], collector.Frames.Select(f => f.Type));
    }

    [Fact]
    public void ExceptionFromTheHandler_PropagatesAndEndsTheReader()
    {
        var reader = new FrameReader();
        var boom = new InvalidOperationException("handler failed");
        Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => reader.Read(new PingFrame(new byte[8]).ToArray(), new ThrowingHandler(boom))));
        Assert.Same(boom, Assert.Throws<InvalidOperationException>(() => reader.Read([], new FrameCollector())));
    }

    [Fact]
    public void PartialFrame_IsBufferedUntilComplete()
    {
        byte[] frame = new DataFrame(1, new byte[100]).ToArray();
        var reader = new FrameReader();
        var collector = new FrameCollector();
        reader.Read(frame.AsSpan(0, 5), collector);
        Assert.Equal(5, reader.BufferedLength);
        reader.Read(frame.AsSpan(5, 50), collector);
        Assert.Equal(55, reader.BufferedLength);
        Assert.Empty(collector.Frames);
        reader.Read(frame.AsSpan(55), collector);
        Assert.Equal(0, reader.BufferedLength);
        Assert.Single(collector.Frames);
    }

    [Fact]
    public void Limits_AreValidated()
    {
        var reader = new FrameReader();
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxFrameSize = 16383);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxFrameSize = 1 << 24);
        reader.MaxFrameSize = (1 << 24) - 1;
        Assert.Equal((1 << 24) - 1, reader.MaxFrameSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxContinuationFrames = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.MaxHeaderBlockSize = -1);
        reader.MaxContinuationFrames = 0;
        reader.MaxHeaderBlockSize = 0;
        Assert.Equal(0, reader.MaxContinuationFrames);
        Assert.Equal(0, reader.MaxHeaderBlockSize);
        Assert.Throws<ArgumentNullException>(() => reader.Read([], null!));
    }

    [Fact]
    public void RandomBytes_OnlyEverRaiseProtocolExceptions()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[1, 64], Gen.Bool).Sample((bytes, chunk, preface) =>
        {
            byte[] input = preface ? [.. FrameReader.ClientPreface, .. bytes] : bytes;
            try
            {
                Read(input, chunk, new FrameReader(expectClientPreface: preface) { MaxContinuationFrames = 2 });
            }
            catch (ProtocolException)
            {
            }
        }, iter: 20000);
    }

    [Fact]
    public void MutatedCapture_OnlyEverRaisesProtocolExceptions()
    {
        byte[] capture = Capture();
        Gen.Select(Gen.Int[0, capture.Length - 1], Gen.Byte).Array[1, 8].Sample(mutations =>
        {
            byte[] input = (byte[])capture.Clone();
            foreach (var (index, value) in mutations)
            {
                input[index] = value;
            }

            try
            {
                Read(input, 7, new FrameReader(expectClientPreface: true));
            }
            catch (ProtocolException)
            {
            }
        }, iter: 5000);
    }

    [Fact]
    public void Nghttp2FuzzCorpus_ReplaysWithoutCrashing()
    {
        string[] files = Directory.GetFiles(TestData.PathOf("nghttp2-fuzz-corpus"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f) != TestData.PathOf("nghttp2-fuzz-corpus"))
            .ToArray();
        Assert.Equal(136, files.Length);
        int clean = 0;
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            try
            {
                Read(input, reader: new FrameReader(expectClientPreface: true));
                clean++;
            }
            catch (ProtocolException)
            {
            }
        }

        Assert.True(clean > 0);
    }

    private sealed class ThrowingHandler(Exception exception) : IFrameHandler
    {
        public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength) => throw exception;

        public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority) => throw exception;

        public void OnPriority(int streamId, StreamPriority priority) => throw exception;

        public void OnRstStream(int streamId, ErrorCode errorCode) => throw exception;

        public void OnSettings(bool ack, SettingsPayload settings) => throw exception;

        public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders) => throw exception;

        public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders) => throw exception;

        public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData) => throw exception;

        public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData) => throw exception;

        public void OnWindowUpdate(int streamId, int increment) => throw exception;

        public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue) => throw exception;

        public void OnOrigin(IReadOnlyList<string> origins) => throw exception;

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue) => throw exception;

        public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload) => throw exception;

        public void OnStreamError(ProtocolException exception1) => throw exception;
    }
}
