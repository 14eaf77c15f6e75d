using System.Buffers;
using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2.Tests;

/// <summary>The code shown in README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ServerLoop_WorksAsTheReadmeSays()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        client.SendHeaders(1, [(":method", "GET"), (":scheme", "http"), (":authority", "x"), (":path", "/")], endStream: true);
        var socket = new FakeSocket(client);
        byte[] buffer = new byte[65536];

        var conn = new H2Connection(new H2Configuration { ClientSide = false });
        conn.InitiateConnection();
        socket.Send(conn.DataToSend());

        while (socket.Receive(buffer) is int n and > 0)
        {
            foreach (Event e in conn.ReceiveData(buffer.AsSpan(0, n)))
            {
                if (e is RequestReceived request)
                {
                    byte[] body = "hello"u8.ToArray();
                    conn.SendHeaders(request.StreamId, [(":status", "200"), ("content-length", "5")]);
                    conn.SendData(request.StreamId, body, endStream: true);
                }
            }

            socket.Send(conn.DataToSend());
        }

        Assert.Equal("hello"u8.ToArray(), socket.ClientEvents.OfType<DataReceived>().Single().Data.ToArray());
    }

    /// <summary>Stands in for a socket: what the server sends goes to a client connection, which answers.</summary>
    private sealed class FakeSocket(H2Connection client)
    {
        private readonly Queue<byte[]> _incoming = new([client.DataToSend()]);

        public List<Event> ClientEvents { get; } = [];

        public void Send(byte[] bytes)
        {
            ClientEvents.AddRange(client.ReceiveData(bytes));
            byte[] reply = client.DataToSend();
            if (reply.Length > 0)
            {
                _incoming.Enqueue(reply);
            }
        }

        public int Receive(byte[] buffer)
        {
            if (_incoming.Count == 0)
            {
                return 0;
            }

            byte[] next = _incoming.Dequeue();
            next.CopyTo(buffer, 0);
            return next.Length;
        }
    }

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
