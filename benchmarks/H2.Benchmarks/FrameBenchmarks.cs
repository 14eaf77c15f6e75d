using System.Buffers;
using BenchmarkDotNet.Attributes;
using H2.Frames;

namespace H2.Benchmarks;

/// <summary>
/// The frame layer: parsing a capture of a busy connection (a frame reader over 1,000 frames of
/// mixed types) and serializing the same frames with the static writers.
/// </summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private static readonly byte[] s_body = new byte[1024];
    private static readonly byte[] s_headerBlock = HeaderBlock();

    private readonly ArrayBufferWriter<byte> _writer = new(1 << 20);
    private readonly CountingHandler _handler = new();

    /// <summary>Frames in one capture.</summary>
    public const int FramesPerCapture = 1000;

    /// <summary>The capture parsed by <see cref="Parse"/>.</summary>
    public static byte[] Capture { get; } = BuildCapture();

    [Benchmark(Description = "Frame parse (1,000 frames, 1 call)")]
    public int Parse()
    {
        _handler.Count = 0;
        new FrameReader().Read(Capture, _handler);
        return _handler.Count;
    }

    [Benchmark(Description = "Frame parse (1,000 frames, 1,400-octet chunks)")]
    public int ParseChunked()
    {
        _handler.Count = 0;
        var reader = new FrameReader();
        ReadOnlySpan<byte> rest = Capture;
        while (!rest.IsEmpty)
        {
            int size = Math.Min(1400, rest.Length);
            reader.Read(rest[..size], _handler);
            rest = rest[size..];
        }

        return _handler.Count;
    }

    [Benchmark(Description = "Frame serialize (1,000 frames)")]
    public int Serialize()
    {
        _writer.ResetWrittenCount();
        WriteFrames(_writer);
        return _writer.WrittenCount;
    }

    private static byte[] BuildCapture()
    {
        var writer = new ArrayBufferWriter<byte>();
        WriteFrames(writer);
        return writer.WrittenSpan.ToArray();
    }

    // A server's view of 200 requests: HEADERS, DATA, WINDOW_UPDATE x2, and a PING, per request.
    private static void WriteFrames(IBufferWriter<byte> writer)
    {
        for (int i = 0; i < FramesPerCapture / 5; i++)
        {
            int stream = (2 * i) + 1;
            HeadersFrame.Write(writer, stream, s_headerBlock, FrameReader.DefaultMaxFrameSize);
            DataFrame.Write(writer, stream, s_body, endStream: true);
            WindowUpdateFrame.Write(writer, 0, s_body.Length);
            WindowUpdateFrame.Write(writer, stream, s_body.Length);
            PingFrame.Write(writer, "12345678"u8);
        }
    }

    private static byte[] HeaderBlock() => new H2.Hpack.HpackEncoder().Encode(HpackBenchmarks.Request);

    private sealed class CountingHandler : IFrameHandler
    {
        public int Count { get; set; }

        public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength) => Count++;

        public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority) => Count++;

        public void OnPriority(int streamId, StreamPriority priority) => Count++;

        public void OnRstStream(int streamId, ErrorCode errorCode) => Count++;

        public void OnSettings(bool ack, SettingsPayload settings) => Count++;

        public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders) => Count++;

        public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders) => Count++;

        public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData) => Count++;

        public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData) => Count++;

        public void OnWindowUpdate(int streamId, int increment) => Count++;

        public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue) => Count++;

        public void OnOrigin(IReadOnlyList<string> origins) => Count++;

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue) => Count++;

        public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload) => Count++;

        public void OnStreamError(ProtocolException exception) => Count++;
    }
}
