using H2.Headers;

namespace H2.Connection;

/// <summary>
/// One stream that is not closed, and its rules: what the peer may send on it and what we may,
/// each step consulting the RFC 9113 §5.1 state machine, the header phase and content-length
/// (§8.1, §8.1.1). Receiving returns a <see cref="StreamVerdict"/> for the connection to turn into
/// frames and events; sending throws for a local misuse before anything is queued.
/// </summary>
internal sealed class H2Stream
{
    private readonly StreamTable _table;

    public H2Stream(StreamTable table, int id, bool isLocal, long outboundWindow, int inboundWindow)
    {
        _table = table;
        Reset(id, isLocal, outboundWindow, inboundWindow);
    }

    /// <summary>Makes a closed stream's object new again, so that a busy connection reuses them instead of allocating one per stream.</summary>
    public void Reset(int id, bool isLocal, long outboundWindow, int inboundWindow)
    {
        Id = id;
        IsLocal = isLocal;
        State = StreamState.Idle;
        Outbound = new OutboundWindow(outboundWindow);
        Inbound = new InboundWindow(inboundWindow);
        Announced = false;
        InboundPhase = default;
        OutboundPhase = default;
        InboundExpectedLength = -1;
        InboundReceivedLength = 0;
        OutboundExpectedLength = -1;
        OutboundSentLength = 0;
        IsHeadRequest = false;
        IsConnectRequest = false;
        Origin = null;
        WorkCompleted = false;
        UserData = null;
    }

    public int Id { get; private set; }

    /// <summary>Whether this endpoint opened (or promised) the stream.</summary>
    public bool IsLocal { get; private set; }

    public StreamState State { get; private set; }

    /// <summary>How much we may send on the stream.</summary>
    public OutboundWindow Outbound;

    /// <summary>How much the peer may send on the stream.</summary>
    public InboundWindow Inbound;

    /// <summary>Whether the application has heard of the stream (it opened it, or an event named it).</summary>
    public bool Announced { get; set; }

    public HeaderPhase InboundPhase { get; set; }

    public HeaderPhase OutboundPhase { get; set; }

    /// <summary>The content-length the peer's message declared, or -1.</summary>
    public long InboundExpectedLength { get; private set; } = -1;

    /// <summary>DATA octets (padding excluded) received in the peer's message.</summary>
    public long InboundReceivedLength { get; private set; }

    /// <summary>The content-length our message declared (0 when it can have no content), or -1.</summary>
    public long OutboundExpectedLength { get; private set; } = -1;

    /// <summary>DATA octets (padding excluded) we have sent in our message.</summary>
    public long OutboundSentLength { get; private set; }

    /// <summary>Whether the request on this stream is HEAD, so the response has no content (RFC 9110 §9.3.2).</summary>
    public bool IsHeadRequest { get; set; }

    /// <summary>Whether the request on this stream is CONNECT, whose DATA is a tunnel (RFC 9113 §8.5).</summary>
    public bool IsConnectRequest { get; set; }

    /// <summary>The request's scheme and authority, so an ALTSVC frame on the stream can name its origin.</summary>
    public string? Origin { get; set; }

    /// <summary>Whether the application said its work for the stream is done, so a reset need not hold it.</summary>
    public bool WorkCompleted { get; set; }

    /// <summary>The application's object for the stream (nghttp2's stream user data), dropped when the stream closes.</summary>
    public object? UserData { get; set; }

    /// <summary>Streams in the open and half-closed states count against SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2).</summary>
    public bool CountsAsActive => State is StreamState.Open or StreamState.HalfClosedLocal or StreamState.HalfClosedRemote;

    /// <summary>What the next header block the peer sends on this stream is: trailers after the final one, else a response on ours, a request on theirs.</summary>
    public MessageKind InboundKind =>
        InboundPhase == HeaderPhase.Final ? MessageKind.Trailers
        : IsLocal || State == StreamState.ReservedRemote ? MessageKind.Response
        : MessageKind.Request;

    /// <summary>Moves the stream to a new state; the table keeps its counts and, on close, its memory.</summary>
    public void MoveTo(StreamState next, StreamCloseReason reason = StreamCloseReason.EndStream)
    {
        StreamState previous = State;
        State = next;
        _table.StateChanged(this, previous, reason);
    }

    /// <summary>
    /// Whether the peer may send this in the stream's state (RFC 9113 §5.1): in half-closed
    /// (remote), a stream error STREAM_CLOSED; in idle or reserved, a connection PROTOCOL_ERROR.
    /// </summary>
    public StreamVerdict? CheckReceive(StreamInput input, string what, out StreamState next)
    {
        (next, StreamOutcome outcome) = StreamStateMachine.Transition(State, input);
        return outcome switch
        {
            StreamOutcome.Allowed => null,
            StreamOutcome.StreamClosedError => StreamVerdict.StreamError(ErrorCode.StreamClosed, $"{what} after the peer ended the stream"),
            _ => StreamVerdict.ConnectionError(ErrorCode.ProtocolError, $"{what} on stream {Id} in state {State}."),
        };
    }

    /// <summary>
    /// A header block of the peer's, already decoded and checked field by field, that the state
    /// allowed (<paramref name="next"/>): the message rules of RFC 9113 §8.1, then the phase, the
    /// declared content-length and, with END_STREAM, the end of the peer's side.
    /// </summary>
    public StreamVerdict? ReceiveHeaders(MessageKind kind, in MessageInfo info, bool endStream, StreamState next)
    {
        // RFC 9113 §8.1: trailers end the stream, and a 1xx response never does.
        if (kind == MessageKind.Trailers && !endStream)
        {
            return StreamVerdict.StreamError(ErrorCode.ProtocolError, "Trailers without END_STREAM.");
        }

        if (kind == MessageKind.Response && info.IsInformational && endStream)
        {
            return StreamVerdict.StreamError(ErrorCode.ProtocolError, "An informational response with END_STREAM.");
        }

        switch (kind)
        {
            case MessageKind.Request:
                InboundPhase = HeaderPhase.Final;
                InboundExpectedLength = info.ContentLength;
                IsHeadRequest = info.Method == "HEAD";
                IsConnectRequest = info.Method == "CONNECT";
                break;
            case MessageKind.Response when info.IsInformational:
                InboundPhase = HeaderPhase.Informational;
                break;
            case MessageKind.Response:
                InboundPhase = HeaderPhase.Final;

                // RFC 9113 §8.1.1: responses to HEAD, and 204 and 304, have no content whatever their content-length says.
                InboundExpectedLength = IsHeadRequest || info.Status is 204 or 304 ? 0 : info.ContentLength;
                break;
            default:
                InboundPhase = HeaderPhase.Trailers;
                break;
        }

        MoveTo(next);
        return endStream ? ReceiveEnd() : null;
    }

    /// <summary>
    /// A DATA frame: the state must allow it, it must fit the stream's window, follow the final
    /// header block and stay within content-length (RFC 9113 §6.1, §8.1.1).
    /// </summary>
    public StreamVerdict? ReceiveData(int length, int flowControlledLength, bool endStream)
    {
        StreamVerdict? verdict = CheckReceive(StreamInput.RecvData, "DATA", out StreamState next);
        if (verdict is not null)
        {
            return verdict;
        }

        if (!Inbound.TryConsume(flowControlledLength))
        {
            return StreamVerdict.StreamError(ErrorCode.FlowControlError, $"DATA of {flowControlledLength} octets exceeds the stream window of {Inbound.Available}");
        }

        InboundReceivedLength += length;
        if (InboundPhase is not HeaderPhase.Final)
        {
            return StreamVerdict.StreamError(ErrorCode.ProtocolError, "DATA before the final header block");
        }

        if (InboundExpectedLength >= 0 && InboundReceivedLength > InboundExpectedLength)
        {
            return StreamVerdict.StreamError(ErrorCode.ProtocolError, $"body exceeds content-length {InboundExpectedLength}");
        }

        MoveTo(next);
        return endStream ? ReceiveEnd() : null;
    }

    /// <summary>The peer's END_STREAM: the body must match content-length (RFC 9113 §8.1.1), and the state must allow it.</summary>
    public StreamVerdict? ReceiveEnd()
    {
        if (InboundExpectedLength >= 0 && InboundReceivedLength != InboundExpectedLength)
        {
            return StreamVerdict.StreamError(ErrorCode.ProtocolError, $"body of {InboundReceivedLength} octets, content-length {InboundExpectedLength}");
        }

        StreamVerdict? verdict = CheckReceive(StreamInput.RecvEndStream, "END_STREAM", out StreamState next);
        if (verdict is null)
        {
            MoveTo(next);
        }

        return verdict;
    }

    /// <summary>The peer's WINDOW_UPDATE on the stream (RFC 9113 §6.9.1: past 2^31-1, a stream FLOW_CONTROL_ERROR).</summary>
    public StreamVerdict? ReceiveWindowUpdate(int increment)
    {
        StreamVerdict? verdict = CheckReceive(StreamInput.RecvWindowUpdate, "WINDOW_UPDATE", out _);
        if (verdict is null && !Outbound.TryGrow(increment))
        {
            return StreamVerdict.StreamError(ErrorCode.FlowControlError, "WINDOW_UPDATE grows the stream window past 2^31-1");
        }

        return verdict;
    }

    /// <summary>Whether we may send this in the stream's state; throws for a local misuse, queueing nothing.</summary>
    public StreamState CheckSend(StreamInput input, StreamState? from = null)
    {
        (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(from ?? State, input);
        return outcome switch
        {
            StreamOutcome.Allowed => next,
            StreamOutcome.SendOnClosedStream => throw new StreamClosedException($"Stream {Id} is closed for sending.", Id),
            _ => throw new ProtocolException(ErrorCode.ProtocolError, $"Cannot {Describe(input)} on stream {Id} in state {State}.", Id),
        };
    }

    /// <summary>What our next header block on this stream is: trailers after the final one, else a request (clients) or a response.</summary>
    public MessageKind OutboundKind(bool client) =>
        OutboundPhase == HeaderPhase.Final ? MessageKind.Trailers : client ? MessageKind.Request : MessageKind.Response;

    /// <summary>
    /// Checks our header block against the message rules of RFC 9113 §8.1 and, with END_STREAM,
    /// against content-length; returns the length our body must have (-1 for any).
    /// </summary>
    public long CheckSendHeaders(MessageKind kind, in MessageInfo info, bool endStream)
    {
        if (kind == MessageKind.Trailers && !endStream)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "Trailers must end the stream (RFC 9113 §8.1).", Id);
        }

        if (kind == MessageKind.Response && info.IsInformational && endStream)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "An informational (1xx) response cannot end the stream.", Id);
        }

        // The body must match content-length (RFC 9113 §8.1.1); a response to HEAD, a 204 or a 304 has none.
        long expected = kind == MessageKind.Trailers || info.IsInformational ? OutboundExpectedLength
            : kind == MessageKind.Response && (IsHeadRequest || info.Status is 204 or 304) ? 0
            : info.ContentLength;
        if (endStream && expected >= 0 && OutboundSentLength != expected)
        {
            throw new InvalidBodyLengthException($"The body of {OutboundSentLength} octets does not match content-length {expected}.", Id);
        }

        return expected;
    }

    /// <summary>Our header block has been queued: the phase and content-length it set, and the state it led to.</summary>
    public void SentHeaders(MessageKind kind, in MessageInfo info, long expectedLength, StreamState next)
    {
        OutboundExpectedLength = expectedLength;
        OutboundPhase = kind switch
        {
            MessageKind.Trailers => HeaderPhase.Trailers,
            MessageKind.Response when info.IsInformational => HeaderPhase.Informational,
            _ => HeaderPhase.Final,
        };
        MoveTo(next);
    }

    /// <summary>Checks DATA we are about to send: the state, the final header block first, content-length; returns the state it leads to.</summary>
    public StreamState CheckSendData(int length, bool endStream)
    {
        StreamState next = CheckSend(StreamInput.SendData);
        if (endStream)
        {
            next = CheckSend(StreamInput.SendEndStream, next);
        }

        if (OutboundPhase is HeaderPhase.None or HeaderPhase.Informational)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, $"Send the final header block on stream {Id} before data.", Id);
        }

        long sent = OutboundSentLength + length;
        if (OutboundExpectedLength >= 0 && (sent > OutboundExpectedLength || (endStream && sent != OutboundExpectedLength)))
        {
            throw new InvalidBodyLengthException(
                $"A body of {sent} octets{(endStream ? "" : " so far")} does not match content-length {OutboundExpectedLength} on stream {Id}.", Id);
        }

        return next;
    }

    /// <summary>Our DATA has been queued.</summary>
    public void SentData(int length, StreamState next)
    {
        OutboundSentLength += length;
        MoveTo(next);
    }

    public override string ToString() => $"stream {Id} ({State})";

    private static string Describe(StreamInput input) => input switch
    {
        StreamInput.SendHeaders => "send headers",
        StreamInput.SendData => "send data",
        StreamInput.SendEndStream => "end the stream",
        StreamInput.SendPushPromise => "push",
        StreamInput.SendWindowUpdate => "send WINDOW_UPDATE",
        _ => input.ToString(),
    };
}
