using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>GOAWAY, sent or received, is graceful: streams at or below its last stream run to completion.</summary>
public class GoAwayTests
{
    [Fact]
    public void GracefulGoAwaySent_LetsOpenStreamsFinish_AndRefusesNewOnes()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Exchange();
        pair.Server.CloseConnection();
        (List<Event> client, _) = pair.Exchange();
        var terminated = Assert.IsType<ConnectionTerminated>(Assert.Single(client));
        Assert.Equal(ErrorCode.NoError, terminated.ErrorCode);
        Assert.Equal(1, terminated.LastStreamId);

        // Stream 1 completes both ways.
        pair.Client.SendData(1, new byte[10], endStream: true);
        pair.Server.SendHeaders(1, Ok(), endStream: false);
        pair.Server.SendData(1, new byte[10], endStream: true);
        (client, List<Event> server) = pair.Exchange();
        Assert.IsType<StreamEnded>(server[^1]);
        Assert.IsType<StreamEnded>(client[^1]);

        // No new stream may be opened.
        Assert.Throws<ProtocolException>(() => pair.Client.SendHeaders(3, Get(), endStream: true));
        Assert.False(pair.Server.IsClosed);
    }

    [Fact]
    public void StreamsAboveOurGoAway_AreRefused()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.CloseConnection(lastStreamId: 1);
        peer.Received();
        Assert.Empty(peer.Send(peer.Headers(3, Get(), endStream: true)));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(3));
        peer.Connection.SendHeaders(1, Ok(), endStream: true);
    }

    [Fact]
    public void GoAwayReceived_ResetsOurStreamsAboveItsLastStream()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        peer.Connection.SendHeaders(3, Get(), endStream: true);
        IReadOnlyList<Event> events = peer.Send(Write(w => GoAwayFrame.Write(w, 1, ErrorCode.NoError, "bye"u8)));
        var terminated = Assert.IsType<ConnectionTerminated>(events[0]);
        Assert.Equal("bye"u8.ToArray(), terminated.AdditionalData.ToArray());
        var reset = Assert.IsType<StreamReset>(events[1]);
        Assert.Equal(3, reset.StreamId);
        Assert.Equal(ErrorCode.RefusedStream, reset.ErrorCode);
        Assert.True(reset.RemoteReset);

        // Stream 1 still gets its response.
        Assert.IsType<ResponseReceived>(peer.Send(peer.Headers(1, Ok(), endStream: true))[0]);
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(5, Get(), endStream: true));
    }

    [Fact]
    public void GoAwayWithAnError_ClosesTheConnection()
    {
        RawPeer peer = ForServer();
        peer.Connection.CloseConnection(ErrorCode.EnhanceYourCalm, "slow down"u8);
        GoAwayFrame goAway = peer.GoAway();
        Assert.Equal(ErrorCode.EnhanceYourCalm, goAway.ErrorCode);
        Assert.Equal("slow down"u8.ToArray(), goAway.DebugData.ToArray());
        Assert.True(peer.Connection.IsClosed);
        Assert.Empty(peer.Send(peer.Headers(1, Get())));
    }

    [Fact]
    public void LastStreamId_MayShrinkButNotGrow()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true), peer.Headers(3, Get(), endStream: true));
        peer.Connection.CloseConnection(lastStreamId: int.MaxValue);
        peer.Connection.CloseConnection(lastStreamId: 3);
        Assert.Throws<ArgumentException>(() => peer.Connection.CloseConnection(lastStreamId: 5));
        Assert.Equal([int.MaxValue, 3], peer.Received().OfType<GoAwayFrame>().Select(f => f.LastStreamId));
    }

    [Fact]
    public void FramesAfterGoAway_AreStillHandled()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Connection.CloseConnection();
        IReadOnlyList<Event> events = peer.Send(Data(1, [1, 2], endStream: true), Write(w => PingFrame.Write(w, "abcdefgh"u8)));
        Assert.IsType<DataReceived>(events[0]);
        Assert.IsType<StreamEnded>(events[1]);
        Assert.IsType<PingReceived>(events[2]);
    }

    [Fact]
    public void GoAwayOnAStream_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => UnknownFrame.Write(w, FrameType.GoAway, 0, 1, new byte[8]))).ErrorCode);
    }

    [Fact]
    public void GoAwayLastStream_NeverGrowsAfterRefusedStreams()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.CloseConnection();
        peer.Send(peer.Headers(3, Get(), endStream: true));
        peer.Connection.CloseConnection(ErrorCode.InternalError);
        Assert.Equal([1, 1], peer.Received().OfType<GoAwayFrame>().Select(f => f.LastStreamId));

        RawPeer failing = ForServer();
        failing.Send(failing.Headers(1, Get(), endStream: true));
        failing.Connection.CloseConnection();
        failing.Send(failing.Headers(3, Get(), endStream: true));
        failing.SendExpectingError(Write(w => UnknownFrame.Write(w, FrameType.Data, 0, 0, [1])));
        Assert.Equal([1, 1], failing.Received().OfType<GoAwayFrame>().Select(f => f.LastStreamId));
    }
}
