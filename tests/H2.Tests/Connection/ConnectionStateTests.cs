using H2.Connection;
using static H2.Connection.ConnectionState.Phase;

namespace H2.Tests.Connection;

public class ConnectionStateTests
{
    [Fact]
    public void NewConnection_IsOpen_NotInitiated_AndMayOpenStreams()
    {
        var state = new ConnectionState();
        Assert.Equal(Open, state.Current);
        Assert.False(state.Initiated);
        Assert.True(state.MayOpenStreams);
        Assert.False(state.IsClosed);
        Assert.Null(state.GoAwaySentLastStreamId);
        Assert.Null(state.GoAwayReceivedLastStreamId);
    }

    [Fact]
    public void Initiate_HappensOnce()
    {
        var state = new ConnectionState();
        state.Initiate();
        Assert.True(state.Initiated);
        Assert.Throws<InvalidOperationException>(state.Initiate);
    }

    [Fact]
    public void GracefulGoAwaySent_RefusesOnlyLaterStreams()
    {
        // RFC 9113 §6.8: streams up to the last stream identifier may still complete.
        var state = new ConnectionState();
        state.SentGoAway(5, error: false);
        Assert.Equal(GoAwaySent, state.Current);
        Assert.False(state.MayOpenStreams);
        Assert.False(state.Refuses(5));
        Assert.True(state.Refuses(7));
    }

    [Fact]
    public void GoAwayWithAnError_ClosesTheConnection()
    {
        var state = new ConnectionState();
        state.SentGoAway(0, error: true);
        Assert.True(state.IsClosed);
        state.ReceivedGoAway(3);
        Assert.Equal(Closed, state.Current);
    }

    [Fact]
    public void ReceivedGoAway_KeepsTheLowestLastStreamId()
    {
        var state = new ConnectionState();
        state.ReceivedGoAway(int.MaxValue);
        state.ReceivedGoAway(9);
        state.ReceivedGoAway(11);
        Assert.Equal(GoAwayReceived, state.Current);
        Assert.Equal(9, state.GoAwayReceivedLastStreamId);
        Assert.False(state.MayOpenStreams);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GoAwayBothWays_IsDraining_InEitherOrder(bool sentFirst)
    {
        var state = new ConnectionState();
        if (sentFirst)
        {
            state.SentGoAway(1, error: false);
            state.ReceivedGoAway(1);
        }
        else
        {
            state.ReceivedGoAway(1);
            state.SentGoAway(1, error: false);
        }

        Assert.Equal(GoAwayBoth, state.Current);
        state.SentGoAway(1, error: false);
        state.ReceivedGoAway(1);
        Assert.Equal(GoAwayBoth, state.Current);
        state.SentGoAway(1, error: true);
        Assert.Equal(Closed, state.Current);
    }

    [Fact]
    public void LastProcessed_NeverRisesAboveAnEarlierGoAway()
    {
        var state = new ConnectionState();
        Assert.Equal(9, state.LastProcessed(9));
        state.SentGoAway(5, error: false);
        Assert.Equal(5, state.LastProcessed(9));
        Assert.Equal(3, state.LastProcessed(3));
    }
}
