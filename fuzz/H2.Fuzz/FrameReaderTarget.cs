using System.Buffers;
using H2.Frames;

namespace H2.Fuzz;

/// <summary>
/// Target <c>frame-reader</c>: raw bytes into <see cref="FrameReader"/>. Control bit 6 makes the
/// reader expect the client preface, bit 7 a SETTINGS frame first. Every frame it accepts must
/// also survive being written out and read back, byte for byte.
/// </summary>
internal static class FrameReaderTarget
{
    public static void Run(byte[] data)
    {
        FuzzInput input = FuzzInput.Parse(data);
        var reader = new FrameReader(expectClientPreface: input.Bit6, expectSettingsFirst: input.Bit7);
        var collector = new FrameCollector();
        try
        {
            foreach (ReadOnlyMemory<byte> chunk in input.Chunks())
            {
                reader.Read(chunk.Span, collector);
            }
        }
        catch (H2Exception)
        {
            // A connection error: the frames before it were delivered and are still checked.
        }

        RoundTrip(collector.Frames);
    }

    // Writing the frames and parsing them again must give the same frames. CONTINUATION frames
    // were joined onto their HEADERS, so the re-read allows any frame size.
    private static void RoundTrip(List<Frame> frames)
    {
        if (frames.Count == 0)
        {
            return;
        }

        var written = new ArrayBufferWriter<byte>();
        foreach (Frame frame in frames)
        {
            _ = frame.ToString();
            frame.WriteTo(written);
        }

        var again = new FrameCollector();
        try
        {
            new FrameReader { MaxFrameSize = FrameReader.MaxAllowedFrameSize, MaxHeaderBlockSize = int.MaxValue }.Read(written.WrittenSpan, again);
        }
        catch (H2Exception e)
        {
            throw new FuzzAssertionException("Frames the reader accepted were rejected after being written out.", e);
        }

        if (again.Frames.Count != frames.Count || again.StreamErrors.Count != 0)
        {
            throw new FuzzAssertionException($"{frames.Count} frames were written, {again.Frames.Count} read back ({again.StreamErrors.Count} stream errors).");
        }

        for (int i = 0; i < frames.Count; i++)
        {
            if (!frames[i].ToArray().AsSpan().SequenceEqual(again.Frames[i].ToArray()))
            {
                throw new FuzzAssertionException($"Frame {i} ({frames[i]}) changed in a write and re-read: {again.Frames[i]}.");
            }
        }
    }
}
