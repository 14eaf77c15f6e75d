using CsCheck;
using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>Whatever bytes arrive, a connection raises nothing but <see cref="ProtocolException"/>.</summary>
/// <remarks>Run apart from other tests, as one of them measures the heap.</remarks>
[Collection(nameof(Security.MemoryBoundTests))]
public class HostileInputTests
{
    private static void Feed(H2Connection connection, byte[] input, int chunk) => Feed(connection, input, [chunk]);

    /// <summary>Feeds the input in chunks whose sizes cycle through <paramref name="chunks"/>, answering as an application would.</summary>
    private static void Feed(H2Connection connection, byte[] input, int[] chunks)
    {
        for (int offset = 0, turn = 0; offset < input.Length; offset += chunks[turn++ % chunks.Length])
        {
            IReadOnlyList<Event> events;
            try
            {
                events = connection.ReceiveData(input.AsSpan(offset, Math.Min(chunks[turn % chunks.Length], input.Length - offset)));
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
                            if (data.StreamEnded is not null && !connection.Configuration.ClientSide)
                            {
                                connection.SendHeaders(data.StreamId, Ok(), endStream: true);
                            }

                            break;
                        case StreamReset reset when !connection.Configuration.ClientSide:
                            connection.CompleteStreamWork(reset.StreamId);
                            break;
                    }
                }
                catch (H2Exception)
                {
                }
            }

            connection.DataToSend();

            // Whatever arrives, what a connection keeps stays within its limits.
            Assert.InRange(connection.OpenInboundStreams, 0, connection.Configuration.MaxConcurrentStreams);
            Assert.InRange(connection.OutboundDataLength, 0, 0);
        }
    }

    /// <summary>Every file of the nghttp2 fuzz corpus, by its path inside the corpus.</summary>
    public static TheoryData<string> CorpusFiles() => new(CorpusPaths().Select(file => Path.GetRelativePath(TestData.PathOf("nghttp2-fuzz-corpus"), file)));

    /// <summary>The corpus's input files (its top folder holds only the licence and notes), in a stable order.</summary>
    private static IEnumerable<string> CorpusPaths()
    {
        string root = TestData.PathOf("nghttp2-fuzz-corpus");
        return Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => Path.GetDirectoryName(f) != root).Order(StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Nghttp2FuzzCorpusFile_ReplaysWithOnlyProtocolExceptions(string file)
    {
        byte[] input = File.ReadAllBytes(Path.Combine(TestData.PathOf("nghttp2-fuzz-corpus"), file));
        foreach (int chunk in new[] { input.Length + 1, 7, 1 })
        {
            var server = new H2Connection();
            server.InitiateConnection();
            Feed(server, input, chunk);
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

    /// <summary>Runs a property; one that has not finished in two minutes is a hang, not a slow test.</summary>
    private static void WithoutHanging(Action property) =>
        Assert.True(Task.Run(property).Wait(TimeSpan.FromMinutes(2)), "A call on the connection did not return.");

    private static readonly Lazy<byte[][]> s_corpus = new(() => [.. CorpusPaths().Select(File.ReadAllBytes)]);

    /// <summary>One edit of a byte stream: overwrite, insert, delete or repeat a run, or cut the tail.</summary>
    private static readonly Gen<(int Kind, double At, int Length, byte Value)> Edit =
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Int[1, 40], Gen.Byte);

    private static byte[] Apply(byte[] input, (int Kind, double At, int Length, byte Value)[] edits, int keep)
    {
        var bytes = new List<byte>(input);
        foreach ((int kind, double at, int length, byte value) in edits)
        {
            // The preface (or whatever must come first) stays, so the edits reach the frames.
            int position = Math.Min(keep + (int)(at * (bytes.Count - keep)), bytes.Count);
            int run = Math.Min(length, bytes.Count - position);
            switch (kind)
            {
                case 0 when run > 0:
                    bytes[position] = value;
                    break;
                case 1:
                    bytes.InsertRange(position, Enumerable.Repeat(value, length));
                    break;
                case 2:
                    bytes.RemoveRange(position, run);
                    break;
                case 3:
                    bytes.InsertRange(position, bytes.GetRange(position, run));
                    break;
                case 4:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
            }
        }

        return [.. bytes];
    }

    [Fact]
    public void MutatedCorpusFiles_InRandomChunks_OnlyRaiseProtocolExceptions() => WithoutHanging(() =>
        Gen.Select(Gen.Int[0, s_corpus.Value.Length - 1], Edit.Array[1, 8], Gen.Int[1, 300].Array[1, 8]).Sample((file, edits, chunks) =>
        {
            var server = new H2Connection();
            server.InitiateConnection();
            Feed(server, Apply(s_corpus.Value[file], edits, keep: FrameReader.ClientPreface.Length), chunks);
        }, iter: 3000));

    /// <summary>What a server says to the client of <see cref="ClientConversation"/>: settings, answers, a push, a reset and GOAWAY.</summary>
    private static byte[] ServerConversation()
    {
        var encoder = new H2.Hpack.HpackEncoder();
        return
        [
            .. Write(w => SettingsFrame.Write(w, [new(SettingCode.MaxConcurrentStreams, 10), new(SettingCode.InitialWindowSize, 1000)])),
            .. Write(w => SettingsFrame.WriteAck(w)),
            .. Write(w => HeadersFrame.Write(w, 1, encoder.Encode([(":status", "103"), ("link", "</a.css>")]), 16384)),
            .. Write(w => PushPromiseFrame.Write(w, 1, 2, encoder.Encode(Get("/a.css")), 16384)),
            .. Write(w => HeadersFrame.Write(w, 1, encoder.Encode(Ok(("content-length", "3"))), 16384)),
            .. Write(w => DataFrame.Write(w, 1, [1, 2, 3], endStream: true, padLength: 2)),
            .. Write(w => HeadersFrame.Write(w, 2, encoder.Encode(Ok()), 16384)),
            .. Write(w => DataFrame.Write(w, 2, [9], endStream: false)),
            .. Write(w => HeadersFrame.Write(w, 2, encoder.Encode([("grpc-status", "0")]), 16384, endStream: true)),
            .. Write(w => WindowUpdateFrame.Write(w, 3, 500)),
            .. Write(w => RstStreamFrame.Write(w, 3, ErrorCode.RefusedStream)),
            .. Write(w => PingFrame.Write(w, "abcdefgh"u8)),
            .. Write(w => AltSvcFrame.Write(w, 0, "example.com", "h2=\":443\"")),
            .. Write(w => OriginFrame.Write(w, ["https://example.com"])),
            .. Write(w => HeadersFrame.Write(w, 5, encoder.Encode([.. Ok(), ("x-a", new string('a', 300))]), 100)),
            .. Write(w => GoAwayFrame.Write(w, 5, ErrorCode.NoError)),
        ];
    }

    private static H2Connection ClientWithRequests()
    {
        var client = new H2Connection(new H2Configuration { ClientSide = true, EnablePush = true });
        client.InitiateConnection();
        client.SendHeaders(1, Get(), endStream: true);
        client.SendHeaders(3, Post());
        client.SendHeaders(5, Get("/5"), endStream: true);
        client.DataToSend();
        return client;
    }

    [Fact]
    public void ValidServerConversation_IsHandledByTheClientWithoutErrors()
    {
        H2Connection client = ClientWithRequests();
        Feed(client, ServerConversation(), 1);
        Assert.False(client.IsClosed);
    }

    [Fact]
    public void MutatedServerConversations_InRandomChunks_OnlyRaiseProtocolExceptionsInTheClient() => WithoutHanging(() =>
    {
        byte[] conversation = ServerConversation();
        Gen.Select(Edit.Array[1, 8], Gen.Int[1, 100].Array[1, 8]).Sample((edits, chunks) =>
            Feed(ClientWithRequests(), Apply(conversation, edits, keep: 0), chunks), iter: 5000);
    });

    [Fact]
    public void LongRandomFrameStorm_KeepsConnectionMemoryFlat()
    {
        // Well-formed frames of every kind on a connection whose flood budgets are off, so that it
        // lives through all of them: only the per-stream and per-connection state bounds keep it small.
        var server = new H2Connection(new H2Configuration { GlitchRateLimit = null, InboundResetRateLimit = null, MaxClosedStreams = 100 });
        server.InitiateConnection();
        var encoder = new H2.Hpack.HpackEncoder();
        var random = new Random(11);
        int nextStream = 1;
        byte[] Frame()
        {
            int recent = Math.Max(1, nextStream - (2 * random.Next(1, 50)));
            return random.Next(10) switch
            {
                0 or 1 => Write(w => HeadersFrame.Write(w, nextStream += 2, encoder.Encode([.. Post(), ("x-r", random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture))]), 16384)),
                2 or 3 => Write(w => DataFrame.Write(w, recent, new byte[random.Next(0, 100)], endStream: random.Next(2) == 0)),
                4 => Write(w => RstStreamFrame.Write(w, recent, ErrorCode.Cancel)),
                5 => Write(w => PriorityFrame.Write(w, recent + 2, new StreamPriority(recent))),
                6 => Write(w => WindowUpdateFrame.Write(w, random.Next(2) * recent, random.Next(1, 100))),
                7 => Write(w => PingFrame.Write(w, "pingping"u8)),
                8 => Write(w => PriorityUpdateFrame.Write(w, recent, "u=1, i"u8)),
                _ => Write(w => UnknownFrame.Write(w, (FrameType)0xF0, FrameFlags.None, recent, [1, 2, 3])),
            };
        }

        void Storm(int frames)
        {
            for (int i = 0; i < frames; i += 100)
            {
                byte[] batch = [.. Enumerable.Range(0, 100).SelectMany(_ => Frame())];
                Feed(server, batch, [batch.Length]);
                Assert.False(server.IsClosed);
            }
        }

        Feed(server, [.. FrameReader.ClientPreface, .. Write(w => SettingsFrame.Write(w, []))], 100);
        Storm(20_000);
        long warm = GC.GetTotalMemory(forceFullCollection: true);
        Storm(200_000);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(server);
        Assert.InRange(after - warm, long.MinValue, 512 * 1024);
    }
}
