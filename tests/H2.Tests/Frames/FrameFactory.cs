using H2.Frames;

namespace H2.Tests.Frames;

/// <summary>Builds raw frame bytes by hand, for sequences our own writers would refuse to make.</summary>
internal static class FrameFactory
{
    public static byte[] Raw(FrameType type, FrameFlags flags, int streamId, ReadOnlySpan<byte> payload, int? length = null)
    {
        var bytes = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(length ?? payload.Length, type, flags, streamId).Write(bytes);
        payload.CopyTo(bytes.AsSpan(FrameHeader.Size));
        return bytes;
    }

    public static byte[] Raw(FrameType type, FrameFlags flags, int streamId, string payloadHex) =>
        Raw(type, flags, streamId, Hex.Bytes(payloadHex));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Reads all frames from <paramref name="bytes"/>, optionally in chunks of a given size.</summary>
    public static FrameCollector Read(byte[] bytes, int chunkSize = int.MaxValue, FrameReader? reader = null)
    {
        reader ??= new FrameReader();
        var collector = new FrameCollector();
        for (int offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            reader.Read(bytes.AsSpan(offset, Math.Min(chunkSize, bytes.Length - offset)), collector);
        }

        return collector;
    }

    public static Frame ReadSingle(byte[] bytes) => Assert.Single(Read(bytes).Frames);

    /// <summary>Reads <paramref name="bytes"/> and returns the connection error raised.</summary>
    public static ProtocolException ReadError(byte[] bytes, FrameReader? reader = null) =>
        Assert.ThrowsAny<ProtocolException>(() => Read(bytes, reader: reader));
}
