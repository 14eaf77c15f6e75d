using H2.Events;
using H2.Frames;
using H2.Tests.Connection;
using static H2.Tests.Connection.RawPeer;
using static H2.Tests.Security.Attack;

namespace H2.Tests.Security;

/// <summary>Rapid Reset (CVE-2023-44487) and MadeYouReset (CVE-2025-8671).</summary>
public class ResetAttackTests
{
    private static byte[] OpenAndReset(int streamId) =>
        [.. HeadersFrameOf(streamId, GetRequestBlock()), .. Write(w => RstStreamFrame.Write(w, streamId, ErrorCode.Cancel))];

    /// <summary>Opens and resets streams, completing the application's work for each as a good server does.</summary>
    private static void OpenAndResetCompleting(RawPeer peer, int count, int firstStreamId = 1)
    {
        for (int i = 0; i < count; i++)
        {
            int id = firstStreamId + (2 * i);
            peer.Send(OpenAndReset(id));
            peer.Connection.CompleteStreamWork(id);
            peer.Connection.DataToSend();
        }
    }

    [Fact]
    public void RapidReset_PastTheBurst_IsEnhanceYourCalm()
    {
        var peer = ForServer(new H2Configuration { TimeProvider = new ManualTimeProvider() });
        OpenAndResetCompleting(peer, 1000);
        ExpectCalm(peer, OpenAndReset(2001));
    }

    [Fact]
    public void Resets_AtTheSustainedRate_AreAllowed()
    {
        var time = new ManualTimeProvider();
        var peer = ForServer(new H2Configuration { TimeProvider = time, InboundResetRateLimit = new RateLimit(10, 10) });
        for (int i = 0; i < 500; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            OpenAndResetCompleting(peer, 1, (2 * i) + 1);
        }

        Assert.False(peer.Connection.IsClosed);
        ExpectCalm(peer, Repeat(11, i => OpenAndReset(1001 + (2 * i))));
    }

    [Fact]
    public void ResetRateLimit_CanBeTurnedOff()
    {
        var peer = ForServer(new H2Configuration { InboundResetRateLimit = null, GlitchRateLimit = null });
        OpenAndResetCompleting(peer, 3000);
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void ClientsDoNotLimitResets()
    {
        var peer = ForClient(new H2Configuration { ClientSide = true, InboundResetRateLimit = new RateLimit(1, 0) });
        for (int i = 0; i < 5; i++)
        {
            int id = (2 * i) + 1;
            peer.Connection.SendHeaders(id, Get(), endStream: true);
            Assert.IsType<StreamReset>(Assert.Single(peer.Send(Write(w => RstStreamFrame.Write(w, id, ErrorCode.Cancel)))));
        }
    }

    [Fact]
    public void ResetStream_KeepsCountingAgainstConcurrency_UntilTheWorkIsComplete()
    {
        var peer = ForServer(new H2Configuration { MaxConcurrentStreams = 2 });
        peer.Send(OpenAndReset(1), OpenAndReset(3));
        Assert.Equal(2, peer.Connection.HeldResetStreams);
        Assert.Equal(0, peer.Connection.OpenInboundStreams);
        peer.Received();

        // Held streams fill the limit: a third request is refused.
        Assert.Empty(peer.Send(HeadersFrameOf(5, GetRequestBlock())));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(5));

        peer.Connection.CompleteStreamWork(1);
        peer.Connection.CompleteStreamWork(1);
        Assert.Equal(1, peer.Connection.HeldResetStreams);
        Assert.IsType<RequestReceived>(peer.Send(HeadersFrameOf(7, GetRequestBlock()))[0]);
    }

    [Fact]
    public void WorkCompletedBeforeTheReset_DoesNotHoldTheStream()
    {
        var peer = ForServer();
        peer.Send(HeadersFrameOf(1, GetRequestBlock()));
        peer.Connection.CompleteStreamWork(1);
        peer.Send(Write(w => RstStreamFrame.Write(w, 1, ErrorCode.Cancel)));
        Assert.Equal(0, peer.Connection.HeldResetStreams);
    }

    [Fact]
    public void ResetAfterOurResponseEnded_DoesNotHoldTheStream()
    {
        var peer = ForServer();
        peer.Send(HeadersFrameOf(1, GetRequestBlock(), endStream: false));
        peer.Connection.SendHeaders(1, Ok(), endStream: true);
        peer.Send(Write(w => RstStreamFrame.Write(w, 1, ErrorCode.Cancel)));
        Assert.Equal(0, peer.Connection.HeldResetStreams);
    }

    [Fact]
    public void TryingToAnswerAResetStream_CompletesItsWork()
    {
        var peer = ForServer();
        peer.Send(OpenAndReset(1), OpenAndReset(3));
        Assert.Throws<StreamClosedException>(() => peer.Connection.SendHeaders(1, Ok(), endStream: true));
        Assert.Throws<StreamClosedException>(() => peer.Connection.SendData(3, [1]));
        Assert.Equal(0, peer.Connection.HeldResetStreams);
    }

    [Fact]
    public void HoldingCanBeTurnedOff()
    {
        var peer = ForServer(new H2Configuration { HoldResetStreams = false });
        peer.Send(OpenAndReset(1));
        Assert.Equal(0, peer.Connection.HeldResetStreams);
    }

    [Fact]
    public void RapidResetWithoutCompletion_IsRefusedAtTheConcurrencyLimit_ThenClosed()
    {
        // An application that never completes: the peer gets 100 streams, then refusals, then GOAWAY.
        var peer = ForServer(new H2Configuration { TimeProvider = new ManualTimeProvider() });
        int requests = 0;
        ProtocolException? error = null;
        for (int id = 1; error is null && id < 100_000; id += 2)
        {
            try
            {
                requests += peer.Send(OpenAndReset(id)).OfType<RequestReceived>().Count();
                peer.Connection.DataToSend();
            }
            catch (DenialOfServiceException e)
            {
                error = e;
            }
        }

        Assert.Equal(100, requests);
        Assert.Equal(ErrorCode.EnhanceYourCalm, error?.ErrorCode);
    }

    [Fact]
    public void MadeYouReset_ProvokedStreamErrors_AreEnhanceYourCalm()
    {
        // Each WINDOW_UPDATE overflows its stream's window: a stream error we are made to send.
        var peer = ForServer(new H2Configuration { TimeProvider = new ManualTimeProvider(), GlitchRateLimit = new RateLimit(50, 0) });
        byte[] Provoke(int id) =>
        [
            .. HeadersFrameOf(id, GetRequestBlock()),
            .. Write(w => WindowUpdateFrame.Write(w, id, int.MaxValue)),
        ];
        for (int i = 0; i < 50; i++)
        {
            int id = (2 * i) + 1;
            Assert.Contains(peer.Send(Provoke(id)), e => e is StreamReset { RemoteReset: false });
            peer.Connection.CompleteStreamWork(id);
            peer.Connection.DataToSend();
        }

        ExpectCalm(peer, Provoke(101));
    }

    [Fact]
    public void StreamsWeResetForThePeersError_AreHeldToo()
    {
        var peer = ForServer();
        peer.Send(HeadersFrameOf(1, GetRequestBlock(), endStream: false), Write(w => WindowUpdateFrame.Write(w, 1, int.MaxValue)));
        Assert.Equal(1, peer.Connection.HeldResetStreams);
        peer.Connection.CompleteStreamWork(1);
        Assert.Equal(0, peer.Connection.HeldResetStreams);
    }
}
