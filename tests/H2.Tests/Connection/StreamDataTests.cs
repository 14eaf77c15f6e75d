using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>The stream record an I/O layer keeps in the connection: its object on each stream, the state the connection reports, the events delivered to a sink.</summary>
public class StreamDataTests
{
    private sealed class RecordingSink : IEventSink
    {
        public List<(Event Event, object? UserData)> Seen { get; } = [];

        public Action<Event, object?>? OnEach { get; init; }

        public void OnEvent(Event receivedEvent, object? streamUserData)
        {
            Seen.Add((receivedEvent, streamUserData));
            OnEach?.Invoke(receivedEvent, streamUserData);
        }
    }

    [Fact]
    public void ReceiveDataWithASink_DeliversTheSameEventsInTheSameOrderAsTheList()
    {
        var listed = new ConnectionPair();
        var sunk = new ConnectionPair();
        foreach (ConnectionPair pair in new[] { listed, sunk })
        {
            pair.Client.SendHeaders(1, Post());
            pair.Client.SendData(1, new byte[100], endStream: true);
            pair.Client.Ping("12345678"u8);
        }

        byte[] wire = listed.Client.DataToSend();
        string[] expected = [.. listed.Server.ReceiveData(wire).Select(e => e.ToString()!)];
        var sink = new RecordingSink();
        sunk.Server.ReceiveData(sunk.Client.DataToSend(), sink);

        Assert.Equal(expected, sink.Seen.Select(s => s.Event.ToString()!));
        Assert.Equal(listed.Server.DataToSend(), sunk.Server.DataToSend());
    }

    [Fact]
    public void AttachedObject_ComesBackWithEveryEventOfItsStream_IncludingTheOneThatClosesIt()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        object record = new();
        var sink = new RecordingSink
        {
            OnEach = (e, _) =>
            {
                if (e is RequestReceived request)
                {
                    pair.Server.SetStreamUserData(request.StreamId, record);
                }
            },
        };
        pair.Server.ReceiveData(pair.Client.DataToSend(), sink);
        pair.Client.SendData(1, new byte[10]);
        pair.Client.ResetStream(1, ErrorCode.Cancel);
        pair.Server.ReceiveData(pair.Client.DataToSend(), sink);

        Assert.Null(sink.Seen[0].UserData);
        Assert.IsType<RequestReceived>(sink.Seen[0].Event);
        Assert.Same(record, sink.Seen.Single(s => s.Event is DataReceived).UserData);
        (Event reset, object? resetData) = sink.Seen.Single(s => s.Event is StreamReset);
        Assert.Same(record, resetData);
        Assert.Null(pair.Server.GetStreamUserData(1));
        Assert.Equal(StreamState.Closed, pair.Server.GetStreamState(1));
    }

    [Fact]
    public void AttachedObject_IsHandedBackWithStreamEnded_ThenLetGoWhenBothSidesHaveEnded()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Server.ReceiveData(pair.Client.DataToSend());
        object record = new();
        pair.Server.SetStreamUserData(1, record);
        pair.Server.SendHeaders(1, [(":status", "200")], endStream: true);
        pair.Client.SendData(1, new byte[3], endStream: true);

        var sink = new RecordingSink();
        pair.Server.ReceiveData(pair.Client.DataToSend(), sink);

        Assert.All(sink.Seen, s => Assert.Same(record, s.UserData));
        Assert.Contains(sink.Seen, s => s.Event is StreamEnded);
        Assert.False(pair.Server.TryGetStream(1, out _));
        Assert.Empty(pair.Server.LiveStreams);
    }

    [Fact]
    public void TryGetStream_ReportsEndsHeaderBlocksAndContentLength()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [.. Post(), ("content-length", "10")]);
        pair.Client.SendData(1, new byte[4]);
        pair.Server.ReceiveData(pair.Client.DataToSend());

        Assert.True(pair.Server.TryGetStream(1, out StreamInfo info));
        Assert.Equal(StreamState.Open, info.State);
        Assert.False(info.IsLocal);
        Assert.True(info.FinalHeadersReceived);
        Assert.False(info.FinalHeadersSent);
        Assert.Equal(10, info.InboundContentLength);
        Assert.Equal(4, info.InboundReceivedLength);
        Assert.False(info.LocalEnded);
        Assert.False(info.RemoteEnded);
        Assert.Equal(-1, info.OutboundRemainingLength);

        pair.Server.SendHeaders(1, [(":status", "200"), ("content-length", "5")]);
        pair.Server.SendData(1, new byte[2]);
        Assert.True(pair.Server.TryGetStream(1, out info));
        Assert.True(info.FinalHeadersSent);
        Assert.Equal(5, info.OutboundContentLength);
        Assert.Equal(3, info.OutboundRemainingLength);

        pair.Server.SendData(1, new byte[3], endStream: true);
        Assert.True(pair.Server.TryGetStream(1, out info));
        Assert.Equal(StreamState.HalfClosedLocal, info.State);
        Assert.True(info.LocalEnded);
        Assert.False(info.RemoteEnded);
    }

    [Fact]
    public void ResponseToHead_OwesNoContentWhateverItsContentLengthSays()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, [(":method", "HEAD"), (":scheme", "https"), (":authority", "example.com"), (":path", "/")], endStream: true);
        pair.Server.ReceiveData(pair.Client.DataToSend());
        pair.Server.SendHeaders(1, [(":status", "200"), ("content-length", "1234")]);

        Assert.True(pair.Server.TryGetStream(1, out StreamInfo info));
        Assert.Equal(0, info.OutboundRemainingLength);
    }

    [Fact]
    public void GetStreamState_TellsIdleFromClosed()
    {
        var pair = new ConnectionPair();
        Assert.Equal(StreamState.Idle, pair.Client.GetStreamState(1));
        pair.Client.SendHeaders(1, Post(), endStream: true);
        Assert.Equal(StreamState.HalfClosedLocal, pair.Client.GetStreamState(1));
        pair.Client.ResetStream(1, ErrorCode.Cancel);
        Assert.Equal(StreamState.Closed, pair.Client.GetStreamState(1));
        Assert.Equal(StreamState.Idle, pair.Client.GetStreamState(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Client.GetStreamState(0));
    }

    [Fact]
    public void SetStreamUserData_OnAStreamThatIsNotLive_Throws()
    {
        var pair = new ConnectionPair();
        Assert.Throws<NoSuchStreamException>(() => pair.Client.SetStreamUserData(1, new object()));
        pair.Client.SendHeaders(1, Post(), endStream: true);
        pair.Client.ResetStream(1, ErrorCode.Cancel);
        Assert.Throws<StreamClosedException>(() => pair.Client.SetStreamUserData(1, new object()));
    }

    [Fact]
    public void LiveStreams_EnumeratesEachLiveStreamWithItsObject()
    {
        var pair = new ConnectionPair();
        for (int id = 1; id <= 5; id += 2)
        {
            pair.Client.SendHeaders(id, Post());
            pair.Client.SetStreamUserData(id, $"record {id}");
        }

        pair.Client.ResetStream(3, ErrorCode.Cancel);

        Assert.Equal(2, pair.Client.LiveStreams.Count);
        Assert.Equal(["record 1", "record 5"], pair.Client.LiveStreams.Select(s => (string)s.UserData!).Order());
        foreach (StreamInfo info in pair.Client.LiveStreams)
        {
            Assert.True(info.IsLocal);
        }
    }

    [Fact]
    public void ASink_MayGiveCreditBack_ButNotChangeStreams_WhileTheConnectionReads()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[10000]);
        Exception? refused = null;
        var sink = new RecordingSink
        {
            OnEach = (e, _) =>
            {
                if (e is DataReceived data)
                {
                    pair.Server.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                    refused = Record.Exception(() => pair.Server.ResetStream(1, ErrorCode.Cancel));
                }
            },
        };

        pair.Server.ReceiveData(pair.Client.DataToSend(), sink);

        Assert.IsType<InvalidOperationException>(refused);
        Assert.Equal(StreamState.Open, pair.Server.GetStreamState(1));
        pair.Server.ResetStream(1, ErrorCode.Cancel);
        Assert.Equal(StreamState.Closed, pair.Server.GetStreamState(1));
    }

    [Fact]
    public void ASinkThatThrows_EndsTheConnectionWithInternalError_AndTheExceptionPropagates()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post(), endStream: true);
        var sink = new RecordingSink { OnEach = (_, _) => throw new FormatException("application bug") };

        Assert.Throws<FormatException>(() => pair.Server.ReceiveData(pair.Client.DataToSend(), sink));

        Assert.True(pair.Server.IsClosed);
        ConnectionTerminated goAway = Assert.Single(pair.Client.ReceiveData(pair.Server.DataToSend()).OfType<ConnectionTerminated>());
        Assert.Equal(ErrorCode.InternalError, goAway.ErrorCode);
    }

    [Fact]
    public void ConnectionErrorWithASink_QueuesGoAway_AndTheEventsBeforeItHaveBeenDelivered()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post(), endStream: true);
        byte[] wire = [.. pair.Client.DataToSend(), .. Write(w => RstStreamFrame.Write(w, 99, ErrorCode.Cancel))];
        var sink = new RecordingSink();

        ProtocolException error = Assert.Throws<ProtocolException>(() => pair.Server.ReceiveData(wire, sink));

        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
        Assert.Empty(error.Events);
        Assert.Contains(sink.Seen, s => s.Event is RequestReceived);
        Assert.True(pair.Server.IsClosed);
    }
}
