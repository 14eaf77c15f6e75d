using System.Buffers;
using H2.Frames;
using H2.Hpack;

namespace H2.Tests;

/// <summary>The code shown in README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void HpackAndFrameExample_WorksAsTheReadmeSays()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder();

        byte[] block = encoder.Encode(
        [
            (":method", "GET"),
            (":scheme", "https"),
            (":authority", "example.com"),
            (":path", "/"),
            new HeaderField("authorization", "Bearer secret", Sensitive: true),
        ]);

        IReadOnlyList<HeaderField> headers = decoder.Decode(block);
        Assert.Equal(5, headers.Count);
        Assert.True(headers[4].Sensitive);

        var wire = new ArrayBufferWriter<byte>();
        HeadersFrame.Write(wire, streamId: 1, block, maxFrameSize: 16384, endStream: true);
        PingFrame.Write(wire, "12345678"u8);

        var reader = new FrameReader();
        var frames = new FrameCollector();
        reader.Read(wire.WrittenSpan, frames);

        Assert.Equal(block, Assert.IsType<HeadersFrame>(frames.Frames[0]).HeaderBlockFragment.ToArray());
        Assert.IsType<PingFrame>(frames.Frames[1]);
    }
}
