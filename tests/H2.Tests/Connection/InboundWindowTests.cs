using H2.Connection;

namespace H2.Tests.Connection;

public class InboundWindowTests
{
    [Fact]
    public void NewWindow_IsOpenToItsSize()
    {
        var window = new InboundWindow(65535);
        Assert.Equal(65535, window.Available);
        Assert.Equal(65535, window.MaxSize);
        Assert.Equal(0, window.Processed);
    }

    [Fact]
    public void TryConsume_TakesWhatFits_AndRefusesMoreThanIsLeft()
    {
        var window = new InboundWindow(100);
        Assert.True(window.TryConsume(60));
        Assert.Equal(40, window.Available);
        Assert.False(window.TryConsume(41));
        Assert.Equal(40, window.Available);
        Assert.True(window.TryConsume(40));
        Assert.Equal(0, window.Available);
    }

    [Fact]
    public void Acknowledge_WaitsUntilHalfTheWindowIsProcessed_ThenReturnsItAll()
    {
        var window = new InboundWindow(1000);
        Assert.True(window.TryConsume(600));
        Assert.Equal(0, window.Acknowledge(100));
        Assert.Equal(0, window.Acknowledge(300));
        Assert.Equal(500, window.Acknowledge(100));
        Assert.Equal(900, window.Available);
        Assert.Equal(0, window.Processed);
    }

    [Fact]
    public void Acknowledge_OnAShutWindow_ReturnsCreditEarly()
    {
        // With the window shut the peer is stalled: a little processed (over a quarter, at most
        // 1,024 octets) is enough to reopen it.
        var window = new InboundWindow(65535);
        Assert.True(window.TryConsume(65535));
        Assert.Equal(0, window.Acknowledge(1024));
        Assert.Equal(1025, window.Acknowledge(1));
        Assert.Equal(1025, window.Available);
    }

    [Fact]
    public void Acknowledge_NeverOpensPastTheMaximum()
    {
        var window = new InboundWindow(1000);
        Assert.True(window.TryConsume(100));
        Assert.Equal(100, window.Acknowledge(600));
        Assert.Equal(1000, window.Available);
    }

    [Fact]
    public void Acknowledge_OfNothing_IsNothing()
    {
        var window = new InboundWindow(10);
        Assert.Equal(0, window.Acknowledge(0));
    }

    [Fact]
    public void TryOpen_GrowsTheWindowAndItsMaximum_UpTo2To31Minus1()
    {
        var window = new InboundWindow(65535);
        Assert.True(window.TryOpen(1000));
        Assert.Equal(66535, window.Available);
        Assert.Equal(66535, window.MaxSize);
        Assert.False(window.TryOpen(int.MaxValue));
        Assert.Equal(66535, window.Available);
        Assert.True(window.TryOpen(int.MaxValue - 66535));
        Assert.Equal(int.MaxValue, window.Available);
    }

    [Fact]
    public void Resize_ShiftsBothAvailableAndMaximum_AndMayGoNegative()
    {
        // RFC 9113 §6.9.2: a smaller SETTINGS_INITIAL_WINDOW_SIZE can leave the window negative.
        var window = new InboundWindow(65535);
        Assert.True(window.TryConsume(60000));
        window.Resize(-65000);
        Assert.Equal(-59465, window.Available);
        Assert.Equal(535, window.MaxSize);
        window.Resize(int.MaxValue);
        Assert.Equal(int.MaxValue, window.MaxSize);
    }

    [Fact]
    public void Resize_NeverTakesTheMaximumBelowZero()
    {
        var window = new InboundWindow(100);
        window.Resize(-1000);
        Assert.Equal(0, window.MaxSize);
        Assert.Equal(-900, window.Available);
    }
}
