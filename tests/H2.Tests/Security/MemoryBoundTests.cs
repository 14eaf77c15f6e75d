using H2.Events;
using H2.Frames;
using H2.Tests.Connection;
using static H2.Tests.Connection.RawPeer;
using static H2.Tests.Security.Attack;

namespace H2.Tests.Security;

/// <summary>What a connection keeps must not grow with what passes through it. Run alone, so the heap measures only this.</summary>
[Collection(nameof(MemoryBoundTests))]
public class MemoryBoundTests
{
    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    [Fact]
    public void AMillionStreams_LeaveConnectionMemoryFlat()
    {
        var pair = new ConnectionPair();
        int next = 1;
        void Run(int count)
        {
            for (int done = 0; done < count; done += 100)
            {
                int first = next;
                for (int i = 0; i < 100; i++, next += 2)
                {
                    pair.Client.SendHeaders(next, Get(), endStream: true);
                }

                pair.Server.ReceiveData(pair.Client.DataToSend());
                for (int id = first; id < next; id += 2)
                {
                    pair.Server.SendHeaders(id, Ok(), endStream: true);
                }

                pair.Client.ReceiveData(pair.Server.DataToSend());
            }
        }

        Run(10_000);
        long warm = Heap();
        Run(1_000_000);
        long after = Heap();
        GC.KeepAlive(pair);
        Assert.InRange(after - warm, long.MinValue, 256 * 1024);
        Assert.Equal(0, pair.Server.OpenInboundStreams);
        Assert.Equal(0, pair.Client.OpenOutboundStreams);
    }

    [Fact]
    public void PriorityChurn_KeepsNoState()
    {
        var peer = ForServer(new H2Configuration { GlitchRateLimit = null });
        var random = new Random(7);
        byte[] Churn() => Repeat(1000, _ =>
        {
            int id = (random.Next(1, 5000) * 2) + 1;
            return Write(w => PriorityFrame.Write(w, id, new StreamPriority(id + (random.Next(1, 100) * 2), random.Next(1, 257), random.Next(2) == 0)));
        });
        peer.Send(Churn());
        long warm = Heap();
        for (int i = 0; i < 200; i++)
        {
            peer.Send(Churn());
        }

        Assert.InRange(Heap() - warm, long.MinValue, 128 * 1024);
        GC.KeepAlive(peer);
    }

    [Fact]
    public void UnknownSettings_AreIgnoredPastAFew_SoTheirIdentifiersCannotFillMemory()
    {
        var peer = ForServer();
        for (int frame = 0; frame < 100; frame++)
        {
            peer.Send(Write(w => SettingsFrame.Write(w, [.. Enumerable.Range(0, 30).Select(i => new Setting((SettingCode)(0x100 + (frame * 30) + i), 7))])));
        }

        Assert.False(peer.Connection.IsClosed);
        Assert.InRange(peer.Connection.RemoteSettings.Count, 8, 8 + 16);
        Assert.Equal(7u, peer.Connection.RemoteSettings[(SettingCode)0x100]);
        Assert.False(peer.Connection.RemoteSettings.ContainsKey((SettingCode)0x1000));
    }

    [Fact]
    public void ClosedStreams_AreForgottenPastTheBound()
    {
        var peer = ForServer(new H2Configuration { MaxClosedStreams = 10 });
        for (int id = 1; id <= 41; id += 2)
        {
            peer.Send(HeadersFrameOf(id, GetRequestBlock()));
            peer.Connection.SendHeaders(id, Ok(), endStream: true);
        }

        peer.Received();

        // Stream 41 is remembered as closed; streams 1 and 3 are long forgotten, so DATA on them is
        // answered as on any old stream, and a new HEADERS may not reuse their ids.
        Assert.Empty(peer.Send(Data(41, [1])));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(41));
        Assert.Empty(peer.Send(Data(1, [1])));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
        Assert.IsType<StreamIdTooLowException>(peer.SendExpectingError(HeadersFrameOf(3, GetRequestBlock())));
    }
}

/// <summary>Tests that measure the heap run one at a time.</summary>
[CollectionDefinition(nameof(MemoryBoundTests), DisableParallelization = true)]
public class MemoryBoundTestsRunAlone
{
}
