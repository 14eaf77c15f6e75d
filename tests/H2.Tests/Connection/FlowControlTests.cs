using H2.Connection;

namespace H2.Tests.Connection;

public class FlowControlTests
{
    private readonly StreamTable _table = new(clientSide: true, maxClosedStreams: 8);

    [Fact]
    public void Sending_ChargesBothTheStreamAndTheConnection()
    {
        var flow = new FlowControl();
        H2Stream stream = Stream(1, outbound: 65535);
        flow.Sent(stream, 1000);
        Assert.Equal(64535, stream.Outbound.Available);
        Assert.Equal(64535, flow.SendableOn(Stream(3, outbound: 65535)));
    }

    [Fact]
    public void SendableOn_IsTheSmallerWindow_NeverNegative()
    {
        var flow = new FlowControl();
        Assert.Equal(100, flow.SendableOn(Stream(1, outbound: 100)));
        Assert.Equal(65535, flow.SendableOn(Stream(3, outbound: 1_000_000)));
        Assert.Equal(0, flow.SendableOn(Stream(5, outbound: -5)));
    }

    [Fact]
    public void Receiving_ChargesTheConnectionWindow_AndRefusesMore()
    {
        var flow = new FlowControl();
        Assert.True(flow.TryReceive(65535));
        Assert.Equal(0, flow.InboundAvailable);
        Assert.False(flow.TryReceive(1));
        Assert.Equal(0, flow.ReceivableOn(Stream(1, inbound: 65535)));
    }

    [Fact]
    public void Acknowledge_ReturnsTheIncrementDue()
    {
        var flow = new FlowControl();
        Assert.True(flow.TryReceive(40000));
        Assert.Equal(0, flow.Acknowledge(30000));
        Assert.Equal(32768, flow.Acknowledge(2768));
        Assert.Equal(25535 + 32768, flow.InboundAvailable);
    }

    [Fact]
    public void TryOpen_AndTryGrow_KeepThe2To31Minus1Rule()
    {
        var flow = new FlowControl();
        Assert.True(flow.TryOpen(1000));
        Assert.Equal(66535, flow.InboundAvailable);
        Assert.False(flow.TryOpen(int.MaxValue));
        Assert.True(flow.TryGrow(int.MaxValue - FlowControl.InitialWindow));
        Assert.False(flow.TryGrow(1));
    }

    [Fact]
    public void TryShiftSend_MovesEveryStreamsWindow_AndFailsPastTheMaximum()
    {
        H2Stream[] streams = [Stream(1, outbound: 100), Stream(3, outbound: 200)];
        Assert.True(FlowControl.TryShiftSend(streams, -150));
        Assert.Equal(-50, streams[0].Outbound.Available);
        Assert.Equal(50, streams[1].Outbound.Available);
        Assert.False(FlowControl.TryShiftSend(streams, OutboundWindow.Max));
    }

    [Fact]
    public void ShiftReceive_ResizesEveryStreamsReceiveWindow()
    {
        H2Stream[] streams = [Stream(1, inbound: 65535), Stream(3, inbound: 1000)];
        FlowControl.ShiftReceive(streams, -500);
        Assert.Equal(65035, streams[0].Inbound.Available);
        Assert.Equal(500, streams[1].Inbound.MaxSize);
    }

    private H2Stream Stream(int id, long outbound = 65535, int inbound = 65535) => _table.Take(id, isLocal: true, outbound, inbound);
}
