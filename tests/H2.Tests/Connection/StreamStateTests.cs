using H2.Connection;
using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>RFC 9113 §5.1: each method in each stream state, and frames received in each state.</summary>
public class StreamStateTests
{
    // The arrows of the RFC's figure, read off the table.
    [Theory]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.SendHeaders), nameof(StreamState.Open))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.RecvHeaders), nameof(StreamState.Open))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.SendPushPromise), nameof(StreamState.ReservedLocal))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.RecvPushPromise), nameof(StreamState.ReservedRemote))]
    [InlineData(nameof(StreamState.ReservedLocal), nameof(StreamInput.SendHeaders), nameof(StreamState.HalfClosedRemote))]
    [InlineData(nameof(StreamState.ReservedRemote), nameof(StreamInput.RecvHeaders), nameof(StreamState.HalfClosedLocal))]
    [InlineData(nameof(StreamState.ReservedLocal), nameof(StreamInput.SendRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.ReservedRemote), nameof(StreamInput.RecvRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.Open), nameof(StreamInput.SendEndStream), nameof(StreamState.HalfClosedLocal))]
    [InlineData(nameof(StreamState.Open), nameof(StreamInput.RecvEndStream), nameof(StreamState.HalfClosedRemote))]
    [InlineData(nameof(StreamState.Open), nameof(StreamInput.SendRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.Open), nameof(StreamInput.RecvRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.HalfClosedLocal), nameof(StreamInput.RecvEndStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.HalfClosedRemote), nameof(StreamInput.SendEndStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.HalfClosedLocal), nameof(StreamInput.RecvRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.HalfClosedRemote), nameof(StreamInput.SendRstStream), nameof(StreamState.Closed))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.UpgradeClient), nameof(StreamState.HalfClosedLocal))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.UpgradeServer), nameof(StreamState.HalfClosedRemote))]
    public void Table_HasTheRfcTransitions(string fromName, string inputName, string toName)
    {
        (StreamState from, StreamInput input, StreamState to) = (Enum.Parse<StreamState>(fromName), Enum.Parse<StreamInput>(inputName), Enum.Parse<StreamState>(toName));
        Assert.Equal((to, StreamOutcome.Allowed), StreamStateMachine.Transition(from, input));
    }

    [Theory]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.RecvData), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.RecvRstStream), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.Idle), nameof(StreamInput.SendData), nameof(StreamOutcome.SendNotAllowed))]
    [InlineData(nameof(StreamState.ReservedLocal), nameof(StreamInput.RecvData), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.ReservedRemote), nameof(StreamInput.RecvData), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.ReservedRemote), nameof(StreamInput.RecvWindowUpdate), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.HalfClosedRemote), nameof(StreamInput.RecvData), nameof(StreamOutcome.StreamClosedError))]
    [InlineData(nameof(StreamState.HalfClosedRemote), nameof(StreamInput.RecvHeaders), nameof(StreamOutcome.StreamClosedError))]
    [InlineData(nameof(StreamState.HalfClosedRemote), nameof(StreamInput.RecvPushPromise), nameof(StreamOutcome.ConnectionProtocolError))]
    [InlineData(nameof(StreamState.HalfClosedLocal), nameof(StreamInput.SendData), nameof(StreamOutcome.SendOnClosedStream))]
    [InlineData(nameof(StreamState.HalfClosedLocal), nameof(StreamInput.SendHeaders), nameof(StreamOutcome.SendOnClosedStream))]
    [InlineData(nameof(StreamState.Closed), nameof(StreamInput.SendData), nameof(StreamOutcome.SendOnClosedStream))]
    [InlineData(nameof(StreamState.Closed), nameof(StreamInput.RecvData), nameof(StreamOutcome.StreamClosedError))]
    public void Table_RefusesWhatTheRfcForbids(string fromName, string inputName, string outcomeName)
    {
        (StreamState from, StreamInput input, StreamOutcome outcome) = (Enum.Parse<StreamState>(fromName), Enum.Parse<StreamInput>(inputName), Enum.Parse<StreamOutcome>(outcomeName));
        (StreamState next, StreamOutcome actual) = StreamStateMachine.Transition(from, input);
        Assert.Equal(outcome, actual);
        Assert.Equal(from, next);
    }

    [Fact]
    public void Table_CoversEveryStateAndInput()
    {
        foreach (StreamState state in Enum.GetValues<StreamState>())
        {
            foreach (StreamInput input in Enum.GetValues<StreamInput>())
            {
                (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(state, input);
                Assert.True(outcome == StreamOutcome.Allowed || next == state);
            }
        }
    }

    /// <summary>A client stream brought to a given state, with the raw server beside it.</summary>
    private static RawPeer ClientStreamIn(StreamState state)
    {
        RawPeer peer = ForClient();
        switch (state)
        {
            case StreamState.Open:
                peer.Connection.SendHeaders(1, Post());
                break;
            case StreamState.HalfClosedLocal:
                peer.Connection.SendHeaders(1, Get(), endStream: true);
                break;
            case StreamState.HalfClosedRemote:
                peer.Connection.SendHeaders(1, Post());
                peer.Send(peer.Headers(1, Ok(), endStream: true));
                break;
            case StreamState.Closed:
                peer.Connection.SendHeaders(1, Get(), endStream: true);
                peer.Send(peer.Headers(1, Ok(), endStream: true));
                break;
        }

        peer.Received();
        return peer;
    }

    public static TheoryData<string> States() => new(nameof(StreamState.Idle), nameof(StreamState.Open), nameof(StreamState.HalfClosedLocal), nameof(StreamState.HalfClosedRemote), nameof(StreamState.Closed));

    [Theory]
    [MemberData(nameof(States))]
    public void SendData_InEachState(string stateName)
    {
        StreamState state = Enum.Parse<StreamState>(stateName);
        RawPeer peer = ClientStreamIn(state);
        Action send = () => peer.Connection.SendData(1, "x"u8);
        switch (state)
        {
            case StreamState.Open or StreamState.HalfClosedRemote:
                send();
                Assert.IsType<DataFrame>(Assert.Single(peer.Received()));
                break;
            case StreamState.Idle:
                Assert.Throws<NoSuchStreamException>(send);
                break;
            default:
                Assert.Throws<StreamClosedException>(send);
                Assert.Empty(peer.Received());
                break;
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void SendHeaders_InEachState(string stateName)
    {
        StreamState state = Enum.Parse<StreamState>(stateName);
        RawPeer peer = ClientStreamIn(state);
        Action send = () => peer.Connection.SendHeaders(1, [("x-trailer", "1")], endStream: true);
        switch (state)
        {
            case StreamState.Open or StreamState.HalfClosedRemote:
                send();
                Assert.IsType<HeadersFrame>(Assert.Single(peer.Received()));
                break;
            case StreamState.Idle:
                // On an idle stream the block must be a request.
                Assert.Throws<InvalidHeaderException>(send);
                break;
            default:
                Assert.ThrowsAny<ProtocolException>(send);
                Assert.Empty(peer.Received());
                break;
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void EndStream_InEachState(string stateName)
    {
        StreamState state = Enum.Parse<StreamState>(stateName);
        RawPeer peer = ClientStreamIn(state);
        Action end = () => peer.Connection.EndStream(1);
        if (state is StreamState.Open or StreamState.HalfClosedRemote)
        {
            end();
            Assert.True(Assert.IsType<DataFrame>(Assert.Single(peer.Received())).EndStream);
        }
        else
        {
            Assert.ThrowsAny<ProtocolException>(end);
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void ResetStream_InEachState(string stateName)
    {
        StreamState state = Enum.Parse<StreamState>(stateName);
        RawPeer peer = ClientStreamIn(state);
        Action reset = () => peer.Connection.ResetStream(1, ErrorCode.Cancel);
        switch (state)
        {
            case StreamState.Idle:
                Assert.Throws<NoSuchStreamException>(reset);
                break;
            case StreamState.Closed:
                Assert.Throws<StreamClosedException>(reset);
                break;
            default:
                reset();
                Assert.Equal(ErrorCode.Cancel, peer.ResetCode(1));
                Assert.Throws<StreamClosedException>(reset);
                Assert.Equal(0, peer.Connection.OpenOutboundStreams);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(States))]
    public void ReceivedData_InEachState(string stateName)
    {
        StreamState state = Enum.Parse<StreamState>(stateName);
        RawPeer peer = ClientStreamIn(state);
        if (state != StreamState.Closed && state != StreamState.Idle)
        {
            // Give the stream a response first where it can take one.
            if (state is StreamState.Open or StreamState.HalfClosedLocal)
            {
                peer.Send(peer.Headers(1, Ok()));
            }
        }

        byte[] data = Data(1, [1, 2, 3]);
        switch (state)
        {
            case StreamState.Idle:
                Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(data).ErrorCode);
                break;
            case StreamState.Open or StreamState.HalfClosedLocal:
                Assert.IsType<DataReceived>(Assert.Single(peer.Send(data)));
                break;
            default:
                // Half-closed (remote) and closed after END_STREAM: STREAM_CLOSED (RFC 9113 §5.1).
                peer.Send(data);
                Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
                break;
        }
    }

    [Fact]
    public void FramesOnAStreamWeReset_AreIgnored()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        peer.Connection.ResetStream(1, ErrorCode.Cancel);
        peer.Received();

        // In-flight frames after our RST_STREAM: ignored, but HEADERS still decoded and DATA still
        // counted against (and credited back to) the connection window.
        Assert.Empty(peer.Send(Body(1, 40000), peer.Headers(1, [("x-t", "1")], endStream: true), Write(w => WindowUpdateFrame.Write(w, 1, 5))));
        Assert.DoesNotContain(peer.Received(), f => f is RstStreamFrame or GoAwayFrame);
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(3, Get(), endStream: true))[0]);
    }

    [Fact]
    public void FramesAfterThePeersReset_AreStreamClosedErrors()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        Assert.True(Assert.IsType<StreamReset>(Assert.Single(peer.Send(Write(w => RstStreamFrame.Write(w, 1, ErrorCode.Cancel))))).RemoteReset);
        Assert.Empty(peer.Send(Data(1, [1])));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));

        // RST_STREAM and WINDOW_UPDATE on the closed stream are ignored.
        Assert.Empty(peer.Send(Write(w => RstStreamFrame.Write(w, 1, ErrorCode.Cancel)), Write(w => WindowUpdateFrame.Write(w, 1, 1))));
        Assert.Empty(peer.Received());
    }

    [Fact]
    public void RstStreamOnAnIdleStream_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => RstStreamFrame.Write(w, 5, ErrorCode.Cancel))).ErrorCode);
    }

    [Fact]
    public void WindowUpdateOnAnIdleStream_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(Write(w => WindowUpdateFrame.Write(w, 5, 1))).ErrorCode);
    }

    [Fact]
    public void NewStreamBelowTheLastOne_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(5, Get(), endStream: true));
        ProtocolException error = peer.SendExpectingError(peer.Headers(3, Get(), endStream: true));
        Assert.IsType<StreamIdTooLowException>(error);
        Assert.Equal(ErrorCode.ProtocolError, error.ErrorCode);
        Assert.Equal(5, peer.GoAway().LastStreamId);
    }

    [Fact]
    public void HeadersOnAStreamBothSidesEnded_AreAConnectionErrorStreamClosed()
    {
        // RFC 9113 §5.1: a peer reusing a finished stream is confused about the whole connection.
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        peer.Connection.SendHeaders(1, Ok(), endStream: true);
        peer.Received();
        ProtocolException error = peer.SendExpectingError(peer.Headers(1, [("x-late", "1")], endStream: true));
        Assert.Equal(ErrorCode.StreamClosed, error.ErrorCode);
        Assert.False(error.IsStreamError);
        GoAwayFrame goAway = peer.GoAway();
        Assert.Equal((ErrorCode.StreamClosed, 1), (goAway.ErrorCode, goAway.LastStreamId));
    }

    [Fact]
    public void EvenStreamFromAClient_IsAConnectionError()
    {
        RawPeer peer = ForServer();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(peer.Headers(2, Get())).ErrorCode);
    }

    [Fact]
    public void HeadersFromAServerOnANewStream_AreAConnectionError()
    {
        RawPeer peer = ForClient();
        Assert.Equal(ErrorCode.ProtocolError, peer.SendExpectingError(peer.Headers(2, Ok())).ErrorCode);
        RawPeer odd = ForClient();
        Assert.Equal(ErrorCode.ProtocolError, odd.SendExpectingError(odd.Headers(3, Ok())).ErrorCode);
    }

    [Fact]
    public void DataOnAHalfClosedRemoteStream_IsStreamClosedWithAnEvent()
    {
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        var reset = Assert.IsType<StreamReset>(Assert.Single(peer.Send(Data(1, [1]))));
        Assert.Equal(ErrorCode.StreamClosed, reset.ErrorCode);
        Assert.False(reset.RemoteReset);
    }

    [Fact]
    public void ServerCannotOpenStreamsWithHeaders()
    {
        RawPeer peer = ForServer();
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(2, Ok()));
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(3, Ok()));
    }

    [Fact]
    public void ClientStreamIds_MustRise()
    {
        RawPeer peer = ForClient();
        Assert.Equal(1, peer.Connection.GetNextAvailableStreamId());
        peer.Connection.SendHeaders(5, Get(), endStream: true);
        Assert.Equal(7, peer.Connection.GetNextAvailableStreamId());
        Assert.Throws<StreamIdTooLowException>(() => peer.Connection.SendHeaders(3, Get(), endStream: true));
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(8, Get(), endStream: true));
        Assert.Throws<ProtocolException>(() => peer.Connection.SendHeaders(0, Get(), endStream: true));
        Assert.Equal(5, peer.Connection.HighestOutboundStreamId);
    }

    [Fact]
    public void StreamIds_RunOut()
    {
        RawPeer peer = ForClient();
        peer.Connection.SendHeaders(int.MaxValue, Get(), endStream: true);
        Assert.Throws<NoAvailableStreamIdException>(() => peer.Connection.GetNextAvailableStreamId());
        Assert.Equal(2, new H2Connection().GetNextAvailableStreamId());
    }

    [Fact]
    public void InboundStreamsOverTheLimit_AreRefused()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxConcurrentStreams = 2 });
        peer.Send(peer.Headers(1, Post()), peer.Headers(3, Post()));
        Assert.Empty(peer.Send(peer.Headers(5, Post())));
        Assert.Equal(ErrorCode.RefusedStream, peer.ResetCode(5));
        Assert.Equal(2, peer.Connection.OpenInboundStreams);

        // Finishing a stream makes room.
        peer.Send(Data(1, [], endStream: true));
        peer.Connection.SendHeaders(1, Ok(), endStream: true);
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(7, Post()))[0]);
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void OutboundStreamsOverThePeersLimit_Throw()
    {
        RawPeer peer = ForClient(null, new Setting(SettingCode.MaxConcurrentStreams, 1));
        peer.Connection.SendHeaders(1, Get(), endStream: true);
        Assert.Throws<TooManyStreamsException>(() => peer.Connection.SendHeaders(3, Get(), endStream: true));
        peer.Send(peer.Headers(1, Ok(), endStream: true));
        peer.Connection.SendHeaders(3, Get(), endStream: true);
    }

    [Fact]
    public void ClosedStreams_AreRememberedOnlyUpToTheBound()
    {
        RawPeer peer = ForServer(new H2Configuration { MaxClosedStreams = 2 });
        for (int id = 1; id <= 7; id += 2)
        {
            peer.Send(peer.Headers(id, Get(), endStream: true));
            peer.Connection.ResetStream(id, ErrorCode.Cancel);
        }

        peer.Received();

        // Streams 5 and 7 are remembered as reset by us: late DATA is ignored.
        Assert.Empty(peer.Send(Data(7, [1])));
        Assert.Empty(peer.Received().OfType<RstStreamFrame>());

        // Stream 1 is forgotten: late DATA on it gets STREAM_CLOSED.
        peer.Send(Data(1, [1]));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
    }
}
