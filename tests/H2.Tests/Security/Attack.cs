using H2.Frames;
using H2.Hpack;
using H2.Tests.Connection;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Security;

/// <summary>Byte sequences that attacks are made of, and checks of how a connection ended.</summary>
internal static class Attack
{
    /// <summary>A literal field with incremental indexing and a new name (RFC 7541 §6.2.1), unencoded.</summary>
    public static byte[] IndexedLiteral(string name, string value) => [0x40, .. Str(name), .. Str(value)];

    /// <summary>A literal field without indexing and a new name (RFC 7541 §6.2.2).</summary>
    public static byte[] Literal(string name, string value) => [0x00, .. Str(name), .. Str(value)];

    /// <summary>An indexed field (RFC 7541 §6.1).</summary>
    public static byte[] Indexed(int index) => Integer(index, 7, 0x80);

    public static byte[] Integer(int value, int prefixBits, byte flags)
    {
        var buffer = new byte[HpackInteger.MaxLength];
        return buffer[..HpackInteger.Write(value, prefixBits, flags, buffer)];
    }

    /// <summary>A request's pseudo-header fields, as the static table has them.</summary>
    public static byte[] GetRequestBlock() =>
        [.. Indexed(2), .. Indexed(7), .. Indexed(4), .. Literal(":authority", "example.com")];

    /// <summary>HEADERS with a raw header block, split into CONTINUATION frames of at most <paramref name="fragmentSize"/> octets.</summary>
    public static byte[] HeadersFrameOf(int streamId, byte[] block, bool endStream = true, int fragmentSize = 16384) =>
        Write(w => HeadersFrame.Write(w, streamId, block, fragmentSize, endStream));

    /// <summary>A frame exactly as given, flags and all.</summary>
    public static byte[] Raw(FrameType type, FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        byte[] copy = payload.ToArray();
        return Write(w => UnknownFrame.Write(w, type, flags, streamId, copy));
    }

    public static byte[] Repeat(int times, Func<int, byte[]> frame) => [.. Enumerable.Range(0, times).SelectMany(frame)];

    /// <summary>Feeds bytes, expecting the connection to end with a typed denial-of-service error and a GOAWAY with that code.</summary>
    public static DenialOfServiceException ExpectCalm(RawPeer peer, byte[] bytes, ErrorCode code = ErrorCode.EnhanceYourCalm)
    {
        var error = Assert.IsType<DenialOfServiceException>(peer.SendExpectingError(bytes));
        Assert.Equal(code, error.ErrorCode);
        Assert.True(peer.Connection.IsClosed);
        Assert.Equal(code, peer.Received().OfType<GoAwayFrame>().Last().ErrorCode);
        return error;
    }

    private static byte[] Str(string text) => [.. Integer(text.Length, 7, 0), .. System.Text.Encoding.Latin1.GetBytes(text)];
}
