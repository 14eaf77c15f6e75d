using System.Buffers;
using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2.Tests.Connection;

/// <summary>
/// A hand-driven peer: builds raw frames (with its own HPACK encoder) to feed one real connection,
/// and reads back what that connection sends as frame objects.
/// </summary>
internal sealed class RawPeer
{
    private RawPeer(H2Connection connection, bool peerIsClient)
    {
        Connection = connection;
        PeerIsClient = peerIsClient;
    }

    public H2Connection Connection { get; }

    public bool PeerIsClient { get; }

    public HpackEncoder Encoder { get; } = new();

    public HpackDecoder Decoder { get; } = new();

    public static IReadOnlyList<HeaderField> Get(string path = "/") =>
        [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", path)];

    public static IReadOnlyList<HeaderField> Post(string path = "/upload") =>
        [(":method", "POST"), (":scheme", "https"), (":authority", "example.com"), (":path", path)];

    public static IReadOnlyList<HeaderField> Ok(params HeaderField[] more) => [(":status", "200"), .. more];

    /// <summary>A server under test, past the preface exchange, driven by a raw client.</summary>
    public static RawPeer ForServer(H2Configuration? config = null, params Setting[] clientSettings)
    {
        var server = new H2Connection(config ?? new H2Configuration());
        server.InitiateConnection();
        var peer = new RawPeer(server, peerIsClient: true);
        server.ReceiveData([.. FrameReader.ClientPreface, .. Write(w => SettingsFrame.Write(w, clientSettings)), .. Write(SettingsFrame.WriteAck)]);
        server.DataToSend();
        return peer;
    }

    /// <summary>A client under test, past the preface exchange, driven by a raw server.</summary>
    public static RawPeer ForClient(H2Configuration? config = null, params Setting[] serverSettings)
    {
        var client = new H2Connection(config ?? new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        var peer = new RawPeer(client, peerIsClient: false);
        client.ReceiveData([.. Write(w => SettingsFrame.Write(w, serverSettings)), .. Write(SettingsFrame.WriteAck)]);
        client.DataToSend();
        return peer;
    }

    public static byte[] Write(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    public byte[] Headers(int streamId, IReadOnlyList<HeaderField> headers, bool endStream = false, StreamPriority? priority = null) =>
        Write(w => HeadersFrame.Write(w, streamId, Encoder.Encode(headers), 16384, endStream, priority));

    public static byte[] Data(int streamId, byte[] data, bool endStream = false, int? padLength = null) =>
        Write(w => DataFrame.Write(w, streamId, data, endStream, padLength));

    /// <summary>A body split into DATA frames of at most 16,384 octets.</summary>
    public static byte[] Body(int streamId, int length, bool endStream = false) => Write(w =>
    {
        for (int sent = 0; sent < length || (length == 0 && sent == 0); sent += 16384)
        {
            int size = Math.Min(16384, length - sent);
            DataFrame.Write(w, streamId, new byte[size], endStream && sent + size >= length);
            if (length == 0)
            {
                break;
            }
        }
    });

    /// <summary>Feeds bytes to the connection under test.</summary>
    public IReadOnlyList<Event> Send(params byte[][] frames) => Connection.ReceiveData([.. frames.SelectMany(f => f)]);

    /// <summary>Feeds bytes and expects a connection error, returning it.</summary>
    public ProtocolException SendExpectingError(params byte[][] frames) =>
        Assert.ThrowsAny<ProtocolException>(() => Connection.ReceiveData([.. frames.SelectMany(f => f)]));

    /// <summary>Everything the connection under test has queued, as frames.</summary>
    public List<Frame> Received()
    {
        var collector = new FrameCollector();
        new FrameReader { MaxContinuationFrames = 1000 }.Read(Connection.DataToSend(), collector);
        return collector.Frames;
    }

    /// <summary>The error code of the single RST_STREAM the connection sent for a stream.</summary>
    public ErrorCode ResetCode(int streamId) =>
        Assert.Single(Received().OfType<RstStreamFrame>(), f => f.StreamId == streamId).ErrorCode;

    /// <summary>The GOAWAY the connection sent.</summary>
    public GoAwayFrame GoAway() => Assert.Single(Received().OfType<GoAwayFrame>());
}
