using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class FlowControlConversationTests
{
    [Fact]
    public void Windows_StartAtTheRfcDefault()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Exchange();
        Assert.Equal(65535, pair.Client.LocalFlowControlWindow(1));
        Assert.Equal(65535, pair.Server.RemoteFlowControlWindow(1));
    }

    [Fact]
    public void SendingDataShrinksTheWindow_AndPaddingCounts()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[1000], padLength: 9);
        Assert.Equal(65535 - 1010, pair.Client.LocalFlowControlWindow(1));
        var data = Assert.IsType<DataReceived>(pair.Exchange().Server[1]);
        Assert.Equal(1010, data.FlowControlledLength);
        Assert.Equal(1000, data.Data.Length);
        Assert.Equal(65535 - 1010, pair.Server.RemoteFlowControlWindow(1));
    }

    [Fact]
    public void DataBeyondTheWindow_IsRefusedLocally()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        for (int i = 0; i < 3; i++)
        {
            pair.Client.SendData(1, new byte[16384]);
        }

        pair.Client.SendData(1, new byte[65535 - (3 * 16384)]);
        Assert.Equal(0, pair.Client.LocalFlowControlWindow(1));
        long queued = pair.Client.OutboundDataLength;
        Assert.Throws<FlowControlException>(() => pair.Client.SendData(1, [1]));
        Assert.Equal(queued, pair.Client.OutboundDataLength);
    }

    [Fact]
    public void DataLargerThanAFrame_IsRefusedLocally()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        var error = Assert.Throws<FrameTooLargeException>(() => pair.Client.SendData(1, new byte[16385]));
        Assert.Equal(16384, error.MaxFrameSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.SendData(1, [1], padLength: 256));
    }

    [Fact]
    public void WindowUpdate_ReopensTheWindowAndIsReported()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Post());
        peer.Connection.SendData(1, new byte[16384]);
        IReadOnlyList<Event> events = peer.Send(Write(w => WindowUpdateFrame.Write(w, 1, 100)), Write(w => WindowUpdateFrame.Write(w, 0, 16384)));
        Assert.Equal([(1, 100), (0, 16384)], events.Cast<WindowUpdated>().Select(e => (e.StreamId, e.Delta)));
        Assert.Equal(65535 - 16384 + 100, peer.Connection.LocalFlowControlWindow(1));
    }

    [Fact]
    public void ConnectionWindowOverflow_IsAConnectionFlowControlError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.FlowControlError, peer.SendExpectingError(Write(w => WindowUpdateFrame.Write(w, 0, int.MaxValue))).ErrorCode);
    }

    [Fact]
    public void StreamWindowOverflow_IsAStreamFlowControlError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Write(w => WindowUpdateFrame.Write(w, 1, int.MaxValue)))));
        Assert.Equal(ErrorCode.FlowControlError, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void ZeroIncrement_IsAStreamErrorOnAStream_AndAConnectionErrorOnTheConnection()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(FrameFactoryRaw(FrameType.WindowUpdate, 1, [0, 0, 0, 0]))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(FrameFactoryRaw(FrameType.WindowUpdate, 0, [0, 0, 0, 0])).ErrorCode);

        RawPeer idle = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, idle.SendExpectingError(FrameFactoryRaw(FrameType.WindowUpdate, 9, [0, 0, 0, 0])).ErrorCode);
    }

    [Fact]
    public void PeerShrinkingItsInitialWindow_CanMakeWindowsNegative()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Post());
        peer.Connection.SendData(1, new byte[16000]);
        peer.Send(Write(w => SettingsFrame.Write(w, [new(SettingCode.InitialWindowSize, 1000)])));
        Assert.Equal(0, peer.Connection.LocalFlowControlWindow(1));
        Assert.Throws<FlowControlException>(() => peer.Connection.SendData(1, [1]));

        // 1000 - 16000 = -15000: it takes 15,001 octets of credit to send one.
        peer.Send(Write(w => WindowUpdateFrame.Write(w, 1, 15001)));
        Assert.Equal(1, peer.Connection.LocalFlowControlWindow(1));
    }

    [Fact]
    public void PeerGrowingItsInitialWindowPastTheLimit_IsAFlowControlError()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(1, Post());
        peer.Send(Write(w => WindowUpdateFrame.Write(w, 1, int.MaxValue - 65535)));
        Assert.Equal(ErrorCode.FlowControlError, peer.SendExpectingError(Write(w => SettingsFrame.Write(w, [new(SettingCode.InitialWindowSize, 65536)]))).ErrorCode);
    }

    [Fact]
    public void DataBeyondTheStreamWindow_IsAStreamFlowControlError()
    {
        RawPeer peer = ForServer(new H2Configuration { InitialWindowSize = 16384 });
        peer.Send(Write(SettingsFrame.WriteAck));
        peer.Send(peer.Headers(1, Post()));
        peer.Send(Data(1, new byte[16384]));
        Assert.IsType<StreamReset>(Assert.Single(peer.Send(Data(1, [1]))));
        Assert.Equal(ErrorCode.FlowControlError, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void DataBeyondTheConnectionWindow_IsAConnectionFlowControlError()
    {
        RawPeer peer = ForServer(new H2Configuration { InitialWindowSize = 1 << 20 });
        peer.Send(Write(SettingsFrame.WriteAck));
        peer.Send(peer.Headers(1, Post()));
        for (int i = 0; i < 3; i++)
        {
            peer.Send(Data(1, new byte[16384]));
        }

        peer.Send(Data(1, new byte[65535 - (3 * 16384)]));
        Assert.Equal(ErrorCode.FlowControlError, peer.SendExpectingError(Data(1, [1])).ErrorCode);
    }

    [Fact]
    public void AcknowledgedData_IsReturnedInBatches()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Send(Body(1, 10000));

        // Less than half the window processed: no update yet.
        peer.Connection.AcknowledgeReceivedData(10000, 1);
        Assert.Empty(peer.Received());

        peer.Send(Body(1, 30000));
        peer.Connection.AcknowledgeReceivedData(30000, 1);
        List<Frame> updates = peer.Received();
        Assert.Equal([(0, 40000), (1, 40000)], updates.Cast<WindowUpdateFrame>().Select(f => (f.StreamId, f.Increment)));
        Assert.Equal(65535, peer.Connection.RemoteFlowControlWindow(1));
    }

    [Fact]
    public void AcknowledgingAfterTheStreamEnded_OnlyCreditsTheConnection()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()), Body(1, 40000, endStream: true));
        peer.Connection.AcknowledgeReceivedData(40000, 1);
        Assert.Equal([0], peer.Received().Cast<WindowUpdateFrame>().Select(f => f.StreamId));
        peer.Connection.AcknowledgeReceivedData(0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => peer.Connection.AcknowledgeReceivedData(-1, 1));
    }

    [Fact]
    public void AcknowledgingALongForgottenStream_StillCreditsTheConnection()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxClosedStreams = 1 });
        peer.Send(peer.Headers(1, Post()), Body(1, 40000, endStream: true));
        for (int id = 3; id <= 9; id += 2)
        {
            peer.Send(peer.Headers(id, Get(), endStream: true));
            peer.Connection.SendHeaders(id, Ok(), endStream: true);
        }

        peer.Connection.SendHeaders(1, Ok(), endStream: true);
        peer.Received();
        peer.Connection.AcknowledgeReceivedData(40000, 1);
        Assert.Equal([(0, 40000)], peer.Received().Cast<WindowUpdateFrame>().Select(f => (f.StreamId, f.Increment)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void AcknowledgingWithAStreamIdBelowOne_Throws_AndCreditsNothing(int streamId)
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()), Body(1, 40000));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => peer.Connection.AcknowledgeReceivedData(40000, streamId));
        Assert.Equal("streamId", error.ParamName);
        Assert.Empty(peer.Received());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    [InlineData(101)]
    public void AcknowledgingAStreamThatNeverExisted_Throws_AndCreditsNothing(int streamId)
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()), Body(1, 40000));
        var error = Assert.Throws<NoSuchStreamException>(() => peer.Connection.AcknowledgeReceivedData(40000, streamId));
        Assert.Equal(streamId, error.StreamId);
        Assert.Empty(peer.Received());

        // The same amount acknowledged on the right stream is credited at once.
        peer.Connection.AcknowledgeReceivedData(40000, 1);
        Assert.Equal([0, 1], peer.Received().Cast<WindowUpdateFrame>().Select(f => f.StreamId));
    }

    [Fact]
    public void AcknowledgingForTheConnectionOnly_LeavesTheStreamWindowShut()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()), Body(1, 40000));
        peer.Connection.AcknowledgeReceivedData(40000);
        Assert.Equal([(0, 40000)], peer.Received().Cast<WindowUpdateFrame>().Select(f => (f.StreamId, f.Increment)));
        Assert.Equal(65535 - 40000, peer.Connection.RemoteFlowControlWindow(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => peer.Connection.AcknowledgeReceivedData(-1));
    }

    [Fact]
    public void DataOnAResetStream_StillCreditsTheConnection()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Connection.ResetStream(1, ErrorCode.Cancel);
        peer.Received();
        peer.Send(Data(1, new byte[16384]), Data(1, new byte[16384]), Data(1, new byte[16384]));
        Assert.Contains(peer.Received(), f => f is WindowUpdateFrame { StreamId: 0 });
    }

    [Fact]
    public void IncrementFlowControlWindow_SendsWindowUpdate()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Connection.IncrementFlowControlWindow(1000);
        peer.Connection.IncrementFlowControlWindow(2000, 1);
        Assert.Equal([(0, 1000), (1, 2000)], peer.Received().Cast<WindowUpdateFrame>().Select(f => (f.StreamId, f.Increment)));
        Assert.Equal(65535 + 1000, peer.Connection.RemoteFlowControlWindow(1)); // the connection window is the smaller
        Assert.Throws<ArgumentOutOfRangeException>(() => peer.Connection.IncrementFlowControlWindow(0));
        Assert.Throws<FlowControlException>(() => peer.Connection.IncrementFlowControlWindow(int.MaxValue));
        Assert.Throws<FlowControlException>(() => peer.Connection.IncrementFlowControlWindow(int.MaxValue, 1));
        Assert.Throws<NoSuchStreamException>(() => peer.Connection.IncrementFlowControlWindow(1, 9));
    }

    [Fact]
    public void OurInitialWindowChange_AppliesToOpenStreamsOnAcknowledgement()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.InitialWindowSize] = 100_000 });
        Assert.Equal(65535, peer.Connection.RemoteFlowControlWindow(1));
        peer.Send(Write(SettingsFrame.WriteAck));
        Assert.Equal(65535, peer.Connection.RemoteFlowControlWindow(1)); // the connection window is the smaller
        peer.Connection.IncrementFlowControlWindow(100_000);
        Assert.Equal(100_000, peer.Connection.RemoteFlowControlWindow(1));
    }

    [Fact]
    public void ZeroCopyData_IsQueuedByReference()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        long headers = pair.Client.OutboundDataLength;
        byte[] body = [1, 2, 3, 4];
        pair.Client.SendData(1, body.AsMemory(), endStream: true, padLength: 2);
        body[0] = 9; // the body is read when taken, not when queued
        Assert.Equal(headers + 9 + 1 + 4 + 2, pair.Client.OutboundDataLength);
        var data = Assert.IsType<DataReceived>(pair.Exchange().Server[1]);
        Assert.Equal(new byte[] { 9, 2, 3, 4 }, data.Data.ToArray());
        Assert.Equal(7, data.FlowControlledLength);
    }

    private static byte[] FrameFactoryRaw(FrameType type, int streamId, byte[] payload) =>
        Write(w => UnknownFrame.Write(w, type, FrameFlags.None, streamId, payload));

    [Fact]
    public void ContentLengthMismatchAtEndStream_StillCreditsTheConnectionWindow()
    {
        RawPeer peer = ForServer();
        for (int id = 1; id <= 5; id += 2)
        {
            peer.Send(peer.Headers(id, [.. Post(), ("content-length", "100000")]));
            foreach (Event @event in peer.Send(Body(id, 30000, endStream: true)))
            {
                if (@event is DataReceived data)
                {
                    peer.Connection.AcknowledgeReceivedData(data.FlowControlledLength, id);
                }
            }
        }

        // 90,000 octets flowed through a 65,535-octet window without error, and the credit of the
        // refused bodies came back: the connection window is open again for a new stream.
        Assert.False(peer.Connection.IsClosed);
        peer.Send(peer.Headers(7, Post()));
        Assert.InRange(peer.Connection.RemoteFlowControlWindow(7), 60000, 65535);
        peer.Send(Body(7, 60000));
        Assert.False(peer.Connection.IsClosed);
    }
}
