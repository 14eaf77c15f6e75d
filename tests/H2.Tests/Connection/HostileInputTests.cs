using CsCheck;
using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>Whatever bytes arrive, a connection raises nothing but <see cref="ProtocolException"/>.</summary>
public class HostileInputTests
{
    private static void Feed(H2Connection connection, byte[] input, int chunk)
    {
        for (int offset = 0; offset < input.Length; offset += chunk)
        {
            IReadOnlyList<Event> events;
            try
            {
                events = connection.ReceiveData(input.AsSpan(offset, Math.Min(chunk, input.Length - offset)));
            }
            catch (ProtocolException)
            {
                // A connection error: GOAWAY is queued and the connection is finished.
                Assert.True(connection.IsClosed);
                Assert.NotEmpty(connection.DataToSend());
                return;
            }

            foreach (Event @event in events)
            {
                // An application that answers what it is asked, to exercise the send paths too;
                // a stream a later frame reset in the same batch refuses with a local exception.
                try
                {
                    switch (@event)
                    {
                        case RequestReceived request when request.StreamEnded is not null:
                            connection.SendHeaders(request.StreamId, Ok(), endStream: true);
                            break;
                        case DataReceived data:
                            connection.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                            break;
                    }
                }
                catch (H2Exception)
                {
                }
            }

            connection.DataToSend();
        }
    }

    [Fact]
    public void Nghttp2FuzzCorpus_OnlyRaisesProtocolExceptions()
    {
        string[] files = Directory.GetFiles(TestData.PathOf("nghttp2-fuzz-corpus"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetDirectoryName(f) != TestData.PathOf("nghttp2-fuzz-corpus"))
            .ToArray();
        foreach (string file in files)
        {
            byte[] input = File.ReadAllBytes(file);
            foreach (int chunk in new[] { input.Length + 1, 7, 1 })
            {
                var server = new H2Connection();
                server.InitiateConnection();
                Feed(server, input, chunk);
            }
        }
    }

    private static byte[] ClientConversation()
    {
        var encoder = new H2.Hpack.HpackEncoder();
        return
        [
            .. FrameReader.ClientPreface,
            .. Write(w => SettingsFrame.Write(w, [new(SettingCode.InitialWindowSize, 1000), new(SettingCode.HeaderTableSize, 100)])),
            .. Write(w => HeadersFrame.Write(w, 1, encoder.Encode([.. Post(), ("content-length", "3")]), 16384)),
            .. Write(w => DataFrame.Write(w, 1, [1, 2, 3], endStream: true, padLength: 4)),
            .. Write(w => HeadersFrame.Write(w, 3, encoder.Encode(Get()), 16384, endStream: true, priority: new StreamPriority(1, 5))),
            .. Write(w => WindowUpdateFrame.Write(w, 0, 1000)),
            .. Write(w => PingFrame.Write(w, "12345678"u8)),
            .. Write(w => PriorityFrame.Write(w, 5, new StreamPriority(3))),
            .. Write(w => RstStreamFrame.Write(w, 3, ErrorCode.Cancel)),
            .. Write(w => PriorityUpdateFrame.Write(w, 5, "u=2"u8)),
            .. Write(w => HeadersFrame.Write(w, 5, encoder.Encode([.. Get("/big"), ("x-a", new string('a', 300))]), 100)),
            .. Write(w => SettingsFrame.WriteAck(w)),
            .. Write(w => GoAwayFrame.Write(w, 0, ErrorCode.NoError)),
        ];
    }

    [Fact]
    public void ValidConversation_IsHandledWithoutErrors()
    {
        var server = new H2Connection();
        server.InitiateConnection();
        Feed(server, ClientConversation(), 1);
        Assert.False(server.IsClosed);
    }

    [Fact]
    public void MutatedConversations_OnlyRaiseProtocolExceptions()
    {
        byte[] conversation = ClientConversation();
        Gen.Select(Gen.Int[24, conversation.Length - 1], Gen.Byte).Array[1, 6].Select(Gen.Int[1, 64], Gen.Bool).Sample((mutations, chunk, client) =>
        {
            byte[] input = (byte[])conversation.Clone();
            foreach (var (index, value) in mutations)
            {
                input[index] = value;
            }

            var connection = new H2Connection(new H2Configuration { ClientSide = client, EnablePush = true });
            connection.InitiateConnection();
            Feed(connection, client ? input[24..] : input, chunk);
        }, iter: 20000);
    }

    [Fact]
    public void RandomFramesAfterAValidPreface_OnlyRaiseProtocolExceptions()
    {
        Gen<byte[]> frame = Gen.Select(Gen.Int[0, 0x11], Gen.Byte, Gen.Int[0, 9], Gen.Byte.Array[0, 40])
            .Select(t => Write(w => UnknownFrame.Write(w, (FrameType)t.Item1, (FrameFlags)t.Item2, t.Item3, t.Item4)));
        frame.Array[1, 30].Sample(frames =>
        {
            var server = new H2Connection();
            server.InitiateConnection();
            Feed(server, [.. FrameReader.ClientPreface, .. Write(w => SettingsFrame.Write(w, [])), .. frames.SelectMany(f => f)], 11);
        }, iter: 20000);
    }
}
