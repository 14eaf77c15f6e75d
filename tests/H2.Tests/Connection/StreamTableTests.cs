using H2.Connection;

namespace H2.Tests.Connection;

public class StreamTableTests
{
    [Theory]
    [InlineData(true, 1, true)]
    [InlineData(true, 2, false)]
    [InlineData(false, 1, false)]
    [InlineData(false, 2, true)]
    public void IsLocal_IsOddForClientsAndEvenForServers(bool clientSide, int streamId, bool local)
    {
        Assert.Equal(local, new StreamTable(clientSide, 8).IsLocal(streamId));
    }

    [Fact]
    public void IdentifiersAboveTheHighestUsed_AreIdle_BelowAreClosed()
    {
        // RFC 9113 §5.1.1: opening a stream closes every idle stream with a lower identifier.
        var table = new StreamTable(clientSide: true, 8);
        table.Add(table.Take(5, isLocal: true, 65535, 65535), StreamState.Open);
        table.NoteInbound(4);
        Assert.False(table.IsIdle(3));
        Assert.False(table.IsIdle(5));
        Assert.True(table.IsIdle(7));
        Assert.False(table.IsIdle(2));
        Assert.True(table.IsIdle(6));
        Assert.Equal(5, table.HighestOutbound);
        Assert.Equal(4, table.HighestInbound);
    }

    [Fact]
    public void TakenStream_IsNotLiveUntilAdded()
    {
        var table = new StreamTable(clientSide: true, 8);
        H2Stream stream = table.Take(1, isLocal: true, 65535, 65535);
        Assert.False(table.Contains(1));
        Assert.Equal(0, table.HighestOutbound);
        table.Add(stream, StreamState.Open);
        Assert.True(table.TryGet(1, out H2Stream? found));
        Assert.Same(stream, found);
    }

    [Fact]
    public void OpenAndHalfClosedStreams_CountAsActive_ByDirection()
    {
        // RFC 9113 §5.1.2: open and half-closed streams count against MAX_CONCURRENT_STREAMS.
        var table = new StreamTable(clientSide: false, 8);
        H2Stream inbound = table.Take(1, isLocal: false, 65535, 65535);
        table.NoteInbound(1);
        table.Add(inbound, StreamState.Idle);
        Assert.Equal(0, table.ActiveInbound);
        inbound.MoveTo(StreamState.HalfClosedRemote);
        Assert.Equal(1, table.ActiveInbound);
        Assert.Equal(0, table.ActiveOutbound);

        H2Stream pushed = table.Take(2, isLocal: true, 65535, 65535);
        table.Add(pushed, StreamState.ReservedLocal);
        Assert.Equal(0, table.ActiveOutbound);
        pushed.MoveTo(StreamState.HalfClosedRemote);
        Assert.Equal(1, table.ActiveOutbound);

        inbound.MoveTo(StreamState.Closed);
        Assert.Equal(0, table.ActiveInbound);
        Assert.False(table.Contains(1));
    }

    [Fact]
    public void StreamsThePeerPromised_AreCountedAsReserved()
    {
        var table = new StreamTable(clientSide: true, 8);
        H2Stream promised = table.Take(2, isLocal: false, 65535, 65535);
        table.Add(promised, StreamState.ReservedRemote);
        Assert.Equal(1, table.ReservedInbound);
        Assert.True(table.ReservedAtLimit(1));
        Assert.False(table.ReservedAtLimit(2));
        promised.MoveTo(StreamState.HalfClosedLocal);
        Assert.Equal(0, table.ReservedInbound);
        Assert.Equal(1, table.ActiveInbound);
    }

    [Fact]
    public void ConcurrencyLimits_CountHeldStreamsAgainstThePeer()
    {
        var table = new StreamTable(clientSide: false, 8);
        H2Stream stream = table.Take(1, isLocal: false, 65535, 65535);
        table.Add(stream, StreamState.Open);
        Assert.False(table.InboundAtLimit(2, held: 0));
        Assert.True(table.InboundAtLimit(2, held: 1));
        Assert.True(table.InboundAtLimit(1, held: 0));
        Assert.False(table.OutboundAtLimit(1));
    }

    [Fact]
    public void ClosedStream_IsRememberedWithItsReason_AndItsObjectReused()
    {
        var table = new StreamTable(clientSide: true, 8);
        H2Stream stream = table.Take(1, isLocal: true, 65535, 65535);
        table.Add(stream, StreamState.Open);
        stream.MoveTo(StreamState.Closed, StreamCloseReason.ResetSent);
        Assert.Equal(StreamCloseReason.ResetSent, table.ClosedReason(1));
        Assert.Equal(StreamCloseReason.Unknown, table.ClosedReason(3));

        H2Stream next = table.Take(3, isLocal: true, 100, 200);
        Assert.Same(stream, next);
        Assert.Equal(3, next.Id);
        Assert.Equal(StreamState.Idle, next.State);
        Assert.Equal(100, next.Outbound.Available);
        Assert.Equal(200, next.Inbound.Available);
    }

    [Fact]
    public void ClosedStreamMemory_IsBounded_OldestForgottenFirst()
    {
        var table = new StreamTable(clientSide: true, maxClosedStreams: 2);
        table.RememberClosed(1, StreamCloseReason.EndStream);
        table.RememberClosed(3, StreamCloseReason.ResetReceived);
        table.RememberClosed(5, StreamCloseReason.ResetSent);
        Assert.Equal(StreamCloseReason.Unknown, table.ClosedReason(1));
        Assert.Equal(StreamCloseReason.ResetReceived, table.ClosedReason(3));
        Assert.Equal(StreamCloseReason.ResetSent, table.ClosedReason(5));

        table.RememberClosed(3, StreamCloseReason.EndStream);
        Assert.Equal(StreamCloseReason.EndStream, table.ClosedReason(3));
    }

    [Fact]
    public void Require_GivesTheLiveStream_OrTellsClosedFromNeverOpened()
    {
        var table = new StreamTable(clientSide: true, 8);
        H2Stream stream = table.Take(3, isLocal: true, 65535, 65535);
        table.Add(stream, StreamState.Open);
        Assert.Same(stream, table.Require(3));
        Assert.Equal(1, Assert.Throws<StreamClosedException>(() => table.Require(1)).StreamId);
        Assert.Throws<NoSuchStreamException>(() => table.Require(5));
        Assert.Throws<NoSuchStreamException>(() => table.Require(0));
    }

    [Fact]
    public void LiveStreams_AreListed()
    {
        var table = new StreamTable(clientSide: true, 8);
        table.Add(table.Take(1, isLocal: true, 65535, 65535), StreamState.Open);
        table.Add(table.Take(3, isLocal: true, 65535, 65535), StreamState.Open);
        Assert.Equal([1, 3], table.Live.Select(s => s.Id).Order());
    }
}
