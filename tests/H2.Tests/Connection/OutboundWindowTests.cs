using H2.Connection;

namespace H2.Tests.Connection;

public class OutboundWindowTests
{
    [Fact]
    public void Consume_TakesFromTheWindow()
    {
        var window = new OutboundWindow(65535);
        window.Consume(1000);
        Assert.Equal(64535, window.Available);
        Assert.Equal(64535, window.Sendable);
    }

    [Fact]
    public void TryGrow_AddsTheIncrement_UpTo2To31Minus1()
    {
        var window = new OutboundWindow(65535);
        Assert.True(window.TryGrow(int.MaxValue - 65535));
        Assert.Equal(OutboundWindow.Max, window.Available);
        Assert.False(window.TryGrow(1));
        Assert.Equal(OutboundWindow.Max, window.Available);
    }

    [Fact]
    public void TryShift_MayLeaveTheWindowNegative_AndThenNothingIsSendable()
    {
        // RFC 9113 §6.9.2: the peer lowering SETTINGS_INITIAL_WINDOW_SIZE shrinks open windows.
        var window = new OutboundWindow(65535);
        window.Consume(65000);
        Assert.True(window.TryShift(-65535 + 100));
        Assert.Equal(-64900, window.Available);
        Assert.Equal(0, window.Sendable);
        Assert.True(window.TryGrow(65000));
        Assert.Equal(100, window.Sendable);
    }

    [Fact]
    public void TryShift_PastTheMaximum_IsRefusedAndChangesNothing()
    {
        var window = new OutboundWindow(100);
        Assert.False(window.TryShift(OutboundWindow.Max));
        Assert.Equal(100, window.Available);
    }
}
