using H2.Events;
using H2.Frames;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

/// <summary>
/// RFC 9113 §5.1, "closed": how frames on a stream that has closed are answered, by how it closed
/// (both sides ended it, we reset it, the peer reset it), and that a frame's own format is checked
/// before the stream's state.
/// </summary>
public class ClosedStreamTests
{
    /// <summary>How stream 1 of a server came to where it is, the request a POST or a GET.</summary>
    public enum History
    {
        /// <summary>A GET received, not yet answered: half-closed (remote).</summary>
        Unanswered,

        /// <summary>A GET received and answered: both sides ended it.</summary>
        Answered,

        /// <summary>A POST answered, then its body ended: both sides ended it, the peer last.</summary>
        AnsweredBeforeTheBodyEnded,

        /// <summary>A GET that we reset.</summary>
        ResetByUs,

        /// <summary>A POST that the peer reset.</summary>
        ResetByThePeer,

        /// <summary>A POST answered before its body, then reset with NO_ERROR to stop the upload (RFC 9113 §8.1), as H2.Net's server does.</summary>
        AnsweredThenResetByUs,

        /// <summary>As <see cref="AnsweredThenResetByUs"/>, and then the peer's RST_STREAM crossed ours.</summary>
        ResetByBothSides,
    }

    private static RawPeer ServerWithStream(History history)
    {
        RawPeer peer = ForServer();
        switch (history)
        {
            case History.Unanswered:
                peer.Send(peer.Headers(1, Get(), endStream: true));
                break;
            case History.Answered:
                peer.Send(peer.Headers(1, Get(), endStream: true));
                peer.Connection.SendHeaders(1, Ok(), endStream: true);
                break;
            case History.AnsweredBeforeTheBodyEnded:
                peer.Send(peer.Headers(1, Post()));
                peer.Connection.SendHeaders(1, Ok(), endStream: true);
                peer.Send(Data(1, [1, 2], endStream: true));
                break;
            case History.ResetByUs:
                peer.Send(peer.Headers(1, Get(), endStream: true));
                peer.Connection.ResetStream(1, ErrorCode.Cancel);
                break;
            case History.ResetByThePeer:
                peer.Send(peer.Headers(1, Post()), RstStream(1, ErrorCode.Cancel));
                break;
            case History.AnsweredThenResetByUs:
                peer.Send(peer.Headers(1, Post()));
                peer.Connection.SendHeaders(1, Ok(), endStream: true);
                peer.Connection.ResetStream(1, ErrorCode.NoError);
                break;
            case History.ResetByBothSides:
                peer.Send(peer.Headers(1, Post()));
                peer.Connection.SendHeaders(1, Ok(), endStream: true);
                peer.Connection.ResetStream(1, ErrorCode.NoError);
                peer.Send(RstStream(1, ErrorCode.Cancel));
                break;
        }

        peer.Received();
        return peer;
    }

    private static byte[] RstStream(int streamId, ErrorCode code) => Write(w => RstStreamFrame.Write(w, streamId, code));

    private static byte[] Raw(FrameType type, int streamId, params byte[] payload) => Write(w => UnknownFrame.Write(w, type, 0, streamId, payload));

    private static List<RstStreamFrame> Resets(RawPeer peer) => [.. peer.Received().OfType<RstStreamFrame>()];

    [Theory]
    [InlineData(History.Answered, false)]
    [InlineData(History.Answered, true)]
    [InlineData(History.AnsweredBeforeTheBodyEnded, false)]
    [InlineData(History.AnsweredBeforeTheBodyEnded, true)]
    public void HeadersAfterBothSidesEnded_AreAConnectionErrorStreamClosed(History history, bool endStream)
    {
        RawPeer peer = ServerWithStream(history);
        ProtocolException error = peer.SendExpectingError(peer.Headers(1, Get(), endStream));
        Assert.Equal(ErrorCode.StreamClosed, error.ErrorCode);
        GoAwayFrame goAway = peer.GoAway();
        Assert.Equal((ErrorCode.StreamClosed, 1), (goAway.ErrorCode, goAway.LastStreamId));
        Assert.True(peer.Connection.IsClosed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void HeadersAfterBothSidesEnded_AreAConnectionErrorForAClientToo(bool weEndedLast)
    {
        RawPeer peer = ForClient();
        if (weEndedLast)
        {
            peer.Connection.SendHeaders(1, Post());
            peer.Send(peer.Headers(1, Ok(), endStream: true));
            peer.Connection.SendData(1, [1], endStream: true);
        }
        else
        {
            peer.Connection.SendHeaders(1, Get(), endStream: true);
            peer.Send(peer.Headers(1, Ok(), endStream: true));
        }

        peer.Received();
        ProtocolException error = peer.SendExpectingError(peer.Headers(1, Ok(("x-again", "1")), endStream: true));
        Assert.Equal(ErrorCode.StreamClosed, error.ErrorCode);
        GoAwayFrame goAway = peer.GoAway();
        Assert.Equal((ErrorCode.StreamClosed, 0), (goAway.ErrorCode, goAway.LastStreamId));
    }

    [Theory]
    [InlineData(History.Answered)]
    [InlineData(History.AnsweredBeforeTheBodyEnded)]
    public void WindowUpdateRstStreamAndPriority_AfterBothSidesEnded_AreIgnored(History history)
    {
        // RFC 9113 §5.1: these may still be in flight when the stream closes.
        RawPeer peer = ServerWithStream(history);
        IReadOnlyList<Event> events = peer.Send(
            Write(w => WindowUpdateFrame.Write(w, 1, 100)),
            Write(w => PriorityFrame.Write(w, 1, new StreamPriority(0, 32))),
            RstStream(1, ErrorCode.Cancel));
        Assert.Equal(32, Assert.IsType<PriorityUpdated>(Assert.Single(events)).Weight);
        Assert.Empty(peer.Received());
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void DataAfterBothSidesEnded_IsAStreamErrorStreamClosed()
    {
        RawPeer peer = ServerWithStream(History.Answered);
        Assert.Empty(peer.Send(Data(1, [1])));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed);
    }

    [Theory]
    [InlineData(History.ResetByThePeer)]
    [InlineData(History.ResetByBothSides)]
    public void EveryFrameAfterThePeersReset_IsAnsweredWithStreamClosed(History history)
    {
        // RFC 9113 §5.1: after its own RST_STREAM the peer may send nothing but PRIORITY; each
        // frame gets its stream error, not only the first.
        RawPeer peer = ServerWithStream(history);
        byte[] headers = peer.Headers(1, [("x-trailer", "1")], endStream: true);
        Assert.Empty(peer.Send(headers));
        Assert.Equal(ErrorCode.StreamClosed, peer.ResetCode(1));
        Assert.Empty(peer.Send(Data(1, [1]), Data(1, [2]), Data(1, [3])));
        Assert.Equal([ErrorCode.StreamClosed, ErrorCode.StreamClosed, ErrorCode.StreamClosed], Resets(peer).Select(f => f.ErrorCode));
        Assert.IsType<PriorityUpdated>(Assert.Single(peer.Send(Write(w => PriorityFrame.Write(w, 1, new StreamPriority(0, 32))))));
        Assert.Empty(peer.Received());
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void DataAfterThePeersReset_IsCreditedBackToTheConnection()
    {
        RawPeer peer = ServerWithStream(History.ResetByBothSides);
        peer.Send(Body(1, 65535));
        Assert.All(Resets(peer), f => Assert.Equal(ErrorCode.StreamClosed, f.ErrorCode));

        // The whole connection window is open again: a new stream may fill it once more.
        peer.Send(peer.Headers(3, Post()));
        Assert.Equal(65535, peer.Send(Body(3, 65535)).OfType<DataReceived>().Sum(d => d.FlowControlledLength));
    }

    public enum Answer
    {
        AfterHeaders,
        AfterReset,
        AfterData,
    }

    /// <summary>
    /// The conformance suite's client sends HEADERS, RST_STREAM and DATA; the server's answer may
    /// go out between any two of them, and H2.Net's server then resets the unread upload with
    /// NO_ERROR. Whatever the order, the DATA that follows the peer's RST_STREAM is STREAM_CLOSED.
    /// </summary>
    [Theory]
    [InlineData(Answer.AfterHeaders, false)]
    [InlineData(Answer.AfterHeaders, true)]
    [InlineData(Answer.AfterReset, false)]
    [InlineData(Answer.AfterReset, true)]
    [InlineData(Answer.AfterData, false)]
    [InlineData(Answer.AfterData, true)]
    public void DataAfterThePeersReset_IsStreamClosed_WhereverTheAnswerFalls(Answer answer, bool resetTheUploadAfterAnswering)
    {
        RawPeer peer = ForServer();
        void Respond(Answer when)
        {
            if (when != answer)
            {
                return;
            }

            try
            {
                peer.Connection.SendHeaders(1, Ok(), endStream: true);
                if (resetTheUploadAfterAnswering)
                {
                    peer.Connection.ResetStream(1, ErrorCode.NoError);
                }
            }
            catch (StreamClosedException)
            {
                // The peer's reset came first: there is nothing to answer.
            }
        }

        peer.Send(peer.Headers(1, Post()));
        Respond(Answer.AfterHeaders);
        peer.Send(RstStream(1, ErrorCode.Cancel));
        Respond(Answer.AfterReset);
        peer.Send(Data(1, [1, 2, 3], endStream: true));
        Respond(Answer.AfterData);

        Assert.Single(Resets(peer), f => f.StreamId == 1 && f.ErrorCode == ErrorCode.StreamClosed);
        Assert.False(peer.Connection.IsClosed);
    }

    public static TheoryData<string, ErrorCode> MalformedStreamFrames() => new()
    {
        { "PRIORITY of 4 octets", ErrorCode.FrameSizeError },
        { "PRIORITY of 6 octets", ErrorCode.FrameSizeError },
        { "WINDOW_UPDATE of 0", ErrorCode.ProtocolError },
        { "PRIORITY on itself", ErrorCode.ProtocolError },
    };

    private static byte[] MalformedFrame(string description, int streamId) => description switch
    {
        "PRIORITY of 4 octets" => Raw(FrameType.Priority, streamId, 0, 0, 0, 0),
        "PRIORITY of 6 octets" => Raw(FrameType.Priority, streamId, 0, 0, 0, 0, 15, 0),
        "WINDOW_UPDATE of 0" => Raw(FrameType.WindowUpdate, streamId, 0, 0, 0, 0),
        _ => Raw(FrameType.Priority, streamId, 0, 0, 0, (byte)streamId, 15),
    };

    public static TheoryData<string, ErrorCode, History> MalformedFramesInEveryHistory()
    {
        var data = new TheoryData<string, ErrorCode, History>();
        foreach (object[] frame in MalformedStreamFrames())
        {
            foreach (History history in Enum.GetValues<History>())
            {
                data.Add((string)frame[0], (ErrorCode)frame[1], history);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedFramesInEveryHistory))]
    public void MalformedFrame_IsAStreamError_WhateverTheStreamsState(string description, ErrorCode code, History history)
    {
        // RFC 9113 §6.3, §6.9, §5.3.1: the frame's own format comes before the stream's state.
        RawPeer peer = ServerWithStream(history);
        IReadOnlyList<Event> events = peer.Send(MalformedFrame(description, 1));
        RstStreamFrame reset = Assert.Single(Resets(peer));
        Assert.Equal((1, code), (reset.StreamId, reset.ErrorCode));
        Assert.False(peer.Connection.IsClosed);
        if (history == History.Unanswered)
        {
            // The application knew the stream, so it hears of the reset.
            Assert.Equal(code, Assert.IsType<StreamReset>(Assert.Single(events)).ErrorCode);
            Assert.Throws<StreamClosedException>(() => peer.Connection.SendHeaders(1, Ok(), endStream: true));
        }
        else
        {
            Assert.Empty(events);
        }

        // The connection carries on.
        Assert.IsType<RequestReceived>(peer.Send(peer.Headers(3, Get(), endStream: true))[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MalformedPriority_IsAStreamError_BeforeOrAfterTheAnswer(bool answerFirst)
    {
        // The conformance suite's case: HEADERS with END_STREAM, then a PRIORITY of 4 octets; a fast
        // server's answer may go out before the PRIORITY arrives, or after.
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Get(), endStream: true));
        if (answerFirst)
        {
            peer.Connection.SendHeaders(1, Ok(), endStream: true);
        }

        peer.Send(MalformedFrame("PRIORITY of 4 octets", 1));
        Assert.Single(Resets(peer), f => f.StreamId == 1 && f.ErrorCode == ErrorCode.FrameSizeError);
    }

    [Theory]
    [MemberData(nameof(MalformedStreamFrames))]
    public void MalformedFrame_OnAnIdleStream_IsAConnectionError(string description, ErrorCode code)
    {
        // RFC 9113 §6.4: RST_STREAM may not name an idle stream, so the stream error becomes a connection error.
        RawPeer peer = ForServer();
        Assert.Equal(code, peer.SendExpectingError(MalformedFrame(description, 5)).ErrorCode);
        Assert.Equal(code, peer.GoAway().ErrorCode);
    }

    [Theory]
    [InlineData(History.Answered)]
    [InlineData(History.ResetByUs)]
    [InlineData(History.ResetByThePeer)]
    public void HeadersThatMakeAClosedStreamDependOnItself_AreAStreamError(History history)
    {
        RawPeer peer = ServerWithStream(history);
        Assert.Empty(peer.Send(peer.Headers(1, [("x-trailer", "1")], endStream: true, new StreamPriority(1))));
        Assert.Equal(ErrorCode.ProtocolError, peer.ResetCode(1));
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void MalformedFrames_DoNotChangeHowAClosedStreamAnswersLaterFrames()
    {
        // After both sides ended it, HEADERS are still a connection error.
        RawPeer ended = ServerWithStream(History.Answered);
        ended.Send(MalformedFrame("PRIORITY of 4 octets", 1));
        ended.Received();
        Assert.Equal(ErrorCode.StreamClosed, ended.SendExpectingError(ended.Headers(1, Get(), endStream: true)).ErrorCode);

        // After we reset it, frames in flight are still ignored.
        RawPeer reset = ServerWithStream(History.ResetByUs);
        reset.Send(MalformedFrame("WINDOW_UPDATE of 0", 1));
        reset.Received();
        Assert.Empty(reset.Send(Data(1, [1])));
        Assert.Empty(reset.Received());
    }

    [Fact]
    public void StreamResetByUs_WhileItsTrailersAreStillComing_GetsNoTrailersEvent()
    {
        // The block began on a live stream; by its last CONTINUATION the application had reset it.
        RawPeer peer = ForServer();
        peer.Send(peer.Headers(1, Post()));
        byte[] block = peer.Encoder.Encode([("grpc-status", "0"), ("grpc-message", "done")]);
        byte[] first = Write(w => HeadersFrame.Write(w, 1, block.AsSpan(0, 4), 16384, endStream: true));
        first[4] &= unchecked((byte)~(byte)FrameFlags.EndHeaders);
        Assert.Empty(peer.Send(first));
        peer.Connection.ResetStream(1, ErrorCode.Cancel);
        peer.Received();

        IReadOnlyList<Event> events = peer.Send(Write(w => ContinuationFrame.Write(w, 1, block.AsSpan(4))));
        Assert.DoesNotContain(events, e => e is TrailersReceived);
        Assert.False(peer.Connection.IsClosed);
    }
}
