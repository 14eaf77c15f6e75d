using H2.Connection;
using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2;

/// <summary>The stream actions of <see cref="H2Connection"/>: header blocks, data, pushes, resets and flow-control credit, each checked by the stream's rules before anything is queued.</summary>
public sealed partial class H2Connection
{
    /// <summary>The next stream identifier this side may open.</summary>
    /// <returns>An odd identifier for clients, an even one for servers (for pushed streams).</returns>
    /// <exception cref="NoAvailableStreamIdException">Every identifier has been used.</exception>
    public int GetNextAvailableStreamId()
    {
        long next = Streams.HighestOutbound == 0 ? (_config.ClientSide ? 1 : 2) : Streams.HighestOutbound + 2L;
        if (next > int.MaxValue)
        {
            throw new NoAvailableStreamIdException("Every stream identifier of this side has been used.");
        }

        return (int)next;
    }

    /// <summary>How much DATA we may send on a stream now: the smaller of its window and the connection's.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The octets, padding included, that may be sent.</returns>
    /// <exception cref="StreamClosedException">The stream is closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public int LocalFlowControlWindow(int streamId) => _context.Flow.SendableOn(Streams.Require(streamId));

    /// <summary>How much DATA the peer may send on a stream now: the smaller of its window and the connection's.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The octets the peer may send.</returns>
    /// <exception cref="StreamClosedException">The stream is closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public int RemoteFlowControlWindow(int streamId) => _context.Flow.ReceivableOn(Streams.Require(streamId));

    /// <summary>
    /// Sends a header block on a stream: a request (opening the stream, clients), a response or an
    /// informational response (servers), or trailers (with <paramref name="endStream"/>).
    /// </summary>
    /// <param name="streamId">The stream; a new one must be <see cref="GetNextAvailableStreamId"/> or above.</param>
    /// <param name="headers">The fields, pseudo-header fields first.</param>
    /// <param name="endStream">Whether this ends our side of the stream (END_STREAM).</param>
    /// <param name="priority">RFC 7540 priority fields to include, if any.</param>
    /// <exception cref="InvalidHeaderException">The fields fail validation or exceed the peer's header list size; nothing was queued.</exception>
    /// <exception cref="ProtocolException">The stream cannot take headers now.</exception>
    /// <exception cref="StreamClosedException">Our side of the stream is closed.</exception>
    /// <exception cref="StreamIdTooLowException">A new stream's identifier is not above those used.</exception>
    /// <exception cref="TooManyStreamsException">The peer's SETTINGS_MAX_CONCURRENT_STREAMS would be exceeded.</exception>
    public void SendHeaders(int streamId, IReadOnlyList<HeaderField> headers, bool endStream = false, StreamPriority? priority = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ThrowIfClosed();
        if (priority?.DependsOn == streamId)
        {
            throw new ArgumentException("A stream cannot depend on itself (RFC 9113 §5.3.1).", nameof(priority));
        }

        if (!Streams.TryGet(streamId, out H2Stream? existing))
        {
            // Answering a stream the peer reset ends the application's work on it.
            _context.Defence.Release(streamId);
        }

        bool opening = existing is null;
        H2Stream stream = existing ?? NewOutboundStream(streamId);
        if (opening && !_config.ClientSide)
        {
            // RFC 9113 §8.4: a server opens streams only by promising them (PushStream).
            throw new ProtocolException(ErrorCode.ProtocolError, $"A server cannot open stream {streamId} with HEADERS; push it with PushStream.");
        }

        if (stream.State == StreamState.ReservedLocal && Streams.OutboundAtLimit(RemoteSettings.MaxConcurrentStreams))
        {
            throw new TooManyStreamsException($"Sending the pushed response would exceed the peer's limit of {RemoteSettings.MaxConcurrentStreams} streams.");
        }

        StreamState next = stream.CheckSend(StreamInput.SendHeaders);
        if (endStream)
        {
            next = stream.CheckSend(StreamInput.SendEndStream, next);
        }

        // Trailers always end the stream, so after them CheckSend has already refused.
        MessageKind kind = stream.OutboundKind(_config.ClientSide);
        headers = _context.HeaderSender.Prepare(headers, kind, out MessageInfo info);
        long expectedLength = stream.CheckSendHeaders(kind, info, endStream);
        HeadersFrame.Write(Outbound, streamId, _context.HeaderSender.Encode(headers), MaxOutboundFrameSize, endStream, priority);
        _context.Log?.Trace($"sent HEADERS on stream {streamId} ({headers.Count} fields{(endStream ? ", END_STREAM" : "")})");
        if (opening)
        {
            stream.IsHeadRequest = info.Method == "HEAD";
            stream.IsConnectRequest = info.Method == "CONNECT";
            stream.Origin = info.Scheme is null ? info.Authority : $"{info.Scheme}://{info.Authority}";
            Streams.Add(stream, StreamState.Idle);
        }

        stream.SentHeaders(kind, info, expectedLength, next);
    }

    /// <summary>
    /// Sends body data on a stream as one DATA frame, copying it into the outbound buffer.
    /// The data plus padding must fit in <see cref="LocalFlowControlWindow"/> and in
    /// <see cref="MaxOutboundFrameSize"/>; larger bodies are sent in pieces as the window allows.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="data">The data.</param>
    /// <param name="endStream">Whether this ends our side of the stream.</param>
    /// <param name="padLength">Padding octets to add, 0 to 255; 0 sends no padding.</param>
    /// <exception cref="FlowControlException">The data exceeds the flow-control window.</exception>
    /// <exception cref="FrameTooLargeException">The data exceeds the peer's maximum frame size.</exception>
    /// <exception cref="StreamClosedException">Our side of the stream is closed.</exception>
    /// <exception cref="ProtocolException">No final header block was sent on the stream yet.</exception>
    public void SendData(int streamId, ReadOnlySpan<byte> data, bool endStream = false, int padLength = 0)
    {
        H2Stream stream = PrepareData(streamId, data.Length, endStream, padLength, out StreamState next, out int flowLength);
        DataFrame.Write(Outbound, streamId, data, endStream, padLength == 0 ? null : padLength);
        CompleteData(stream, next, data.Length, flowLength, endStream);
    }

    /// <summary>
    /// Sends body data without copying it: the frame header goes into the outbound buffer and the
    /// data is queued by reference. The memory must stay unchanged until it has been taken with
    /// <see cref="DataToSend()"/> or its siblings. Otherwise as
    /// <see cref="SendData(int, ReadOnlySpan{byte}, bool, int)"/>.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="data">The data, lent until it is taken.</param>
    /// <param name="endStream">Whether this ends our side of the stream.</param>
    /// <param name="padLength">Padding octets to add, 0 to 255.</param>
    public void SendData(int streamId, ReadOnlyMemory<byte> data, bool endStream = false, int padLength = 0)
    {
        H2Stream stream = PrepareData(streamId, data.Length, endStream, padLength, out StreamState next, out int flowLength);
        Outbound.WriteDataFrame(streamId, data, endStream, padLength);
        CompleteData(stream, next, data.Length, flowLength, endStream);
    }

    /// <summary>Ends our side of a stream with an empty DATA frame carrying END_STREAM.</summary>
    /// <param name="streamId">The stream.</param>
    /// <exception cref="StreamClosedException">Our side of the stream is already closed.</exception>
    public void EndStream(int streamId) => SendData(streamId, ReadOnlySpan<byte>.Empty, endStream: true);

    /// <summary>
    /// Promises a pushed response (servers): sends PUSH_PROMISE with the request the server will
    /// answer on <paramref name="promisedStreamId"/>, which becomes reserved; answer it with
    /// <see cref="SendHeaders"/> and <see cref="SendData(int, ReadOnlySpan{byte}, bool, int)"/>.
    /// </summary>
    /// <param name="streamId">The client's stream the promise is about (open or half-closed (remote)).</param>
    /// <param name="promisedStreamId">A new even stream identifier, <see cref="GetNextAvailableStreamId"/> or above.</param>
    /// <param name="requestHeaders">The promised request: safe and cacheable (GET or HEAD), no body.</param>
    /// <exception cref="ProtocolException">This is a client, the peer disabled push, or the request is invalid.</exception>
    public void PushStream(int streamId, int promisedStreamId, IReadOnlyList<HeaderField> requestHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestHeaders);
        ThrowIfClosed();
        if (_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only servers push (RFC 9113 §8.4).");
        }

        if (!RemoteSettings.EnablePush)
        {
            throw new UnsupportedFrameException("The client disabled server push (SETTINGS_ENABLE_PUSH = 0).");
        }

        H2Stream parent = Streams.Require(streamId);
        if (parent.IsLocal)
        {
            // RFC 9113 §6.6: promises are made only on streams the client opened.
            throw new ProtocolException(ErrorCode.ProtocolError, $"Cannot push on pushed stream {streamId}.", streamId);
        }

        parent.CheckSend(StreamInput.SendPushPromise);
        H2Stream promised = NewOutboundStream(promisedStreamId);
        requestHeaders = _context.HeaderSender.Prepare(requestHeaders, MessageKind.PushedRequest, out MessageInfo info);
        PushPromiseFrame.Write(Outbound, streamId, promisedStreamId, _context.HeaderSender.Encode(requestHeaders), MaxOutboundFrameSize);
        promised.IsHeadRequest = info.Method == "HEAD";
        Streams.Add(promised, StreamState.ReservedLocal);
    }

    /// <summary>Resets a stream (RST_STREAM): it closes at once in both directions.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="errorCode">Why; <see cref="ErrorCode.Cancel"/> for a stream no longer wanted.</param>
    /// <exception cref="StreamClosedException">The stream is already closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public void ResetStream(int streamId, ErrorCode errorCode = ErrorCode.NoError)
    {
        ThrowIfClosed();
        H2Stream stream = RequireForSending(streamId);
        RstStreamFrame.Write(Outbound, streamId, errorCode);
        Outbound.MarkControlFrame(acknowledgement: false);
        stream.MoveTo(StreamState.Closed, StreamCloseReason.ResetSent);
        _context.Log?.Debug($"reset stream {streamId} ({errorCode})");
    }

    /// <summary>
    /// Grows a receive window by sending WINDOW_UPDATE: the peer may send that much more. Most
    /// applications call <see cref="AcknowledgeReceivedData(int, int)"/> instead and let the connection decide.
    /// </summary>
    /// <param name="increment">1 to 2^31-1 octets.</param>
    /// <param name="streamId">The stream, or <see langword="null"/> (or 0) for the connection window.</param>
    /// <exception cref="FlowControlException">The window would exceed 2^31-1.</exception>
    public void IncrementFlowControlWindow(int increment, int? streamId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(increment, 1);
        ThrowIfClosedForCredit();
        int id = streamId ?? 0;
        if (id == 0)
        {
            if (!_context.Flow.TryOpen(increment))
            {
                throw new FlowControlException("The connection window would exceed 2^31-1.");
            }
        }
        else
        {
            H2Stream stream = Streams.Require(id);
            stream.CheckSend(StreamInput.SendWindowUpdate);
            if (!stream.Inbound.TryOpen(increment))
            {
                throw new FlowControlException($"The window of stream {id} would exceed 2^31-1.", id);
            }
        }

        _context.QueueWindowUpdate(id, increment);
    }

    /// <summary>
    /// Tells the connection that the application has processed received DATA
    /// (<see cref="Events.DataReceived.FlowControlledLength"/>), so the peer may send more. Window
    /// updates are batched: one is sent once enough has been processed, not one per frame.
    /// </summary>
    /// <param name="acknowledgedSize">How many flow-controlled octets were processed.</param>
    /// <param name="streamId">The stream they arrived on; it may have closed since.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative, or the stream identifier is not positive.</exception>
    /// <exception cref="NoSuchStreamException">No stream of that identifier has been opened, so no data can have arrived on it.</exception>
    public void AcknowledgeReceivedData(int acknowledgedSize, int streamId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(acknowledgedSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        if (!Streams.Contains(streamId) && Streams.IsIdle(streamId))
        {
            throw new NoSuchStreamException($"Stream {streamId} has not been opened.", streamId);
        }

        if (State.IsClosed)
        {
            return;
        }

        _context.ReturnCredit(acknowledgedSize);

        // A stream the peer has finished sending on needs no more credit.
        if (Streams.TryGet(streamId, out H2Stream? stream) && stream.State is StreamState.Open or StreamState.HalfClosedLocal)
        {
            int increment = stream.Inbound.Acknowledge(acknowledgedSize);
            if (increment > 0)
            {
                _context.QueueWindowUpdate(streamId, increment);
            }
        }
    }

    /// <summary>
    /// Gives back connection-window credit for received DATA that no stream will process, such as
    /// the rest of a body the application abandoned; the stream's own window is left as it is, so
    /// the peer is not invited to send more of it. Batched as <see cref="AcknowledgeReceivedData(int, int)"/> is.
    /// </summary>
    /// <param name="acknowledgedSize">How many flow-controlled octets to credit to the connection.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative.</exception>
    public void AcknowledgeReceivedData(int acknowledgedSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(acknowledgedSize);
        if (!State.IsClosed)
        {
            _context.ReturnCredit(acknowledgedSize);
        }
    }

    /// <summary>
    /// Says the application's work for a stream the peer opened is done, servers only. A stream the
    /// peer resets (or that we reset because of the peer's error) before our response has ended
    /// keeps counting against <see cref="H2Configuration.MaxConcurrentStreams"/> until this call,
    /// so that resetting streams cannot make us work on more requests at once than we allow (Rapid
    /// Reset, MadeYouReset). Call it when the handler of a request finishes, however it finishes;
    /// calling it before a reset, or more than once, is harmless. Trying to send on a reset stream
    /// counts as this call too. See <see cref="H2Configuration.HoldResetStreams"/>.
    /// </summary>
    /// <param name="streamId">The stream.</param>
    public void CompleteStreamWork(int streamId)
    {
        if (!_context.Defence.Release(streamId) && Streams.TryGet(streamId, out H2Stream? stream))
        {
            stream.WorkCompleted = true;
        }
    }

    /// <summary>The stream to send on; sending on one the peer reset ends the application's work on it.</summary>
    private H2Stream RequireForSending(int streamId)
    {
        if (!Streams.TryGet(streamId, out H2Stream? stream))
        {
            _context.Defence.Release(streamId);
        }

        return stream ?? Streams.Require(streamId);
    }

    /// <summary>A stream this side opens (a request) or promises (a push): not yet live, so a refused send leaves no trace.</summary>
    private H2Stream NewOutboundStream(int streamId)
    {
        if (streamId <= 0 || !Streams.IsLocal(streamId))
        {
            if (streamId > 0 && streamId <= Streams.HighestInbound)
            {
                throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
            }

            throw new ProtocolException(
                ErrorCode.ProtocolError,
                $"Stream {streamId} cannot be opened by the {(_config.ClientSide ? "client (odd identifiers)" : "server (even identifiers, by push)")}.");
        }

        if (streamId <= Streams.HighestOutbound)
        {
            if (Streams.ClosedReason(streamId) != StreamCloseReason.Unknown)
            {
                throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
            }

            throw new StreamIdTooLowException($"Stream {streamId} is not above the last stream opened, {Streams.HighestOutbound}.", streamId);
        }

        if (!State.MayOpenStreams)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "No new stream may be opened after GOAWAY.");
        }

        // A client opens streams with HEADERS, a server with PUSH_PROMISE, and only push streams
        // (reserved) are exempt from the concurrency limit.
        if (_config.ClientSide && Streams.OutboundAtLimit(RemoteSettings.MaxConcurrentStreams))
        {
            throw new TooManyStreamsException($"The peer allows at most {RemoteSettings.MaxConcurrentStreams} concurrent streams.");
        }

        H2Stream stream = _context.TakeStream(streamId, isLocal: true);
        stream.Announced = true;
        return stream;
    }

    private H2Stream PrepareData(int streamId, int length, bool endStream, int padLength, out StreamState next, out int flowLength)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfNegative(padLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(padLength, byte.MaxValue);
        H2Stream stream = RequireForSending(streamId);
        next = stream.CheckSendData(length, endStream);
        flowLength = length + (padLength > 0 ? padLength + 1 : 0);
        if (flowLength > MaxOutboundFrameSize)
        {
            throw new FrameTooLargeException(flowLength, MaxOutboundFrameSize);
        }

        int window = _context.Flow.SendableOn(stream);
        if (flowLength > window)
        {
            throw new FlowControlException($"{flowLength} octets exceed the flow-control window of {window} on stream {streamId}.", streamId);
        }

        return stream;
    }

    private void CompleteData(H2Stream stream, StreamState next, int length, int flowLength, bool endStream)
    {
        _context.Flow.Sent(stream, flowLength);
        _context.Log?.Trace($"sent DATA on stream {stream.Id} ({flowLength} octets{(endStream ? ", END_STREAM" : "")})");
        stream.SentData(length, next);
    }
}
