using H2.Connection;
using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2;

/// <summary>The actions of <see cref="H2Connection"/>: each checks, then queues frames, or throws and queues nothing.</summary>
public sealed partial class H2Connection
{
    /// <summary>
    /// Sends a header block on a stream: a request (opening the stream, clients), a response or an
    /// informational response (servers), or trailers (with <paramref name="endStream"/>).
    /// </summary>
    /// <param name="streamId">The stream; a new one must be <see cref="GetNextAvailableStreamId"/> or above.</param>
    /// <param name="headers">The fields, pseudo-header fields first.</param>
    /// <param name="endStream">Whether this ends our side of the stream (END_STREAM).</param>
    /// <param name="priority">RFC 7540 priority fields to include, if any.</param>
    /// <exception cref="ProtocolException">The fields fail validation, or the stream cannot take headers now.</exception>
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

        if (!_streams.TryGetValue(streamId, out H2Stream? existing))
        {
            // Answering a stream the peer reset ends the application's work on it.
            _defence.Release(streamId);
        }

        H2Stream stream = existing ?? NewOutboundStream(streamId);
        bool opening = existing is null;
        if (opening && !_config.ClientSide)
        {
            // RFC 9113 §8.4: a server opens streams only by promising them (PushStream).
            throw new ProtocolException(ErrorCode.ProtocolError, $"A server cannot open stream {streamId} with HEADERS; push it with PushStream.");
        }

        if (stream.State == StreamState.ReservedLocal && _activeOutbound >= RemoteSettings.MaxConcurrentStreams)
        {
            throw new TooManyStreamsException($"Sending the pushed response would exceed the peer's limit of {RemoteSettings.MaxConcurrentStreams} streams.");
        }

        StreamState next = CheckSend(stream, StreamInput.SendHeaders);
        if (endStream)
        {
            next = CheckSend(stream, StreamInput.SendEndStream, next);
        }

        bool client = _config.ClientSide;
        // Trailers always end the stream, so after them CheckSend has already refused.
        MessageKind kind = stream.OutboundPhase == HeaderPhase.Final ? MessageKind.Trailers
            : client ? MessageKind.Request : MessageKind.Response;

        headers = PrepareOutbound(headers, kind, out MessageInfo info);
        if (kind == MessageKind.Trailers && !endStream)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "Trailers must end the stream (RFC 9113 §8.1).", streamId);
        }

        if (kind == MessageKind.Response && info.IsInformational && endStream)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "An informational (1xx) response cannot end the stream.", streamId);
        }

        // The body must match content-length (RFC 9113 §8.1.1); a response to HEAD, a 204 or a 304 has none.
        long expectedLength = kind == MessageKind.Trailers || info.IsInformational ? stream.OutboundExpectedLength
            : kind == MessageKind.Response && (stream.IsHeadRequest || info.Status is 204 or 304) ? 0
            : info.ContentLength;
        if (endStream && expectedLength >= 0 && stream.OutboundSentLength != expectedLength)
        {
            throw new InvalidBodyLengthException($"The body of {stream.OutboundSentLength} octets does not match content-length {expectedLength}.", streamId);
        }

        EncodeHeaderBlock(headers);
        HeadersFrame.Write(_outbound, streamId, _headerBlock.WrittenSpan, MaxOutboundFrameSize, endStream, priority);
        if (_log is not null)
        {
            Trace($"sent HEADERS on stream {streamId} ({headers.Count} fields{(endStream ? ", END_STREAM" : "")})");
        }

        if (opening)
        {
            _streams.Add(streamId, stream);
            _highestOutboundStreamId = streamId;
            stream.IsHeadRequest = info.Method == "HEAD";
            stream.IsConnectRequest = info.Method == "CONNECT";
            stream.Origin = info.Scheme is null ? info.Authority : $"{info.Scheme}://{info.Authority}";
        }

        stream.OutboundExpectedLength = expectedLength;
        stream.OutboundPhase = kind switch
        {
            MessageKind.Trailers => HeaderPhase.Trailers,
            MessageKind.Response when info.IsInformational => HeaderPhase.Informational,
            _ => HeaderPhase.Final,
        };
        SetState(stream, next);
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
        DataFrame.Write(_outbound, streamId, data, endStream, padLength == 0 ? null : padLength);
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
        FrameFlags flags = (endStream ? FrameFlags.EndStream : FrameFlags.None) | (padLength > 0 ? FrameFlags.Padded : FrameFlags.None);
        Span<byte> head = _outbound.GetSpan(FrameHeader.Size + 1);
        new FrameHeader(flowLength, FrameType.Data, flags, streamId).Write(head);
        _outbound.FramesWritten++;
        int written = FrameHeader.Size;
        if (padLength > 0)
        {
            head[written++] = (byte)padLength;
        }

        _outbound.Advance(written);
        _outbound.Append(data);
        if (padLength > 0)
        {
            _outbound.GetSpan(padLength)[..padLength].Clear();
            _outbound.Advance(padLength);
        }

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

        H2Stream parent = RequireStream(streamId);
        if (parent.IsLocal)
        {
            // RFC 9113 §6.6: promises are made only on streams the client opened.
            throw new ProtocolException(ErrorCode.ProtocolError, $"Cannot push on pushed stream {streamId}.", streamId);
        }

        CheckSend(parent, StreamInput.SendPushPromise);
        H2Stream promised = NewOutboundStream(promisedStreamId);
        requestHeaders = PrepareOutbound(requestHeaders, MessageKind.PushedRequest, out MessageInfo info);

        EncodeHeaderBlock(requestHeaders);
        PushPromiseFrame.Write(_outbound, streamId, promisedStreamId, _headerBlock.WrittenSpan, MaxOutboundFrameSize);
        _streams.Add(promisedStreamId, promised);
        _highestOutboundStreamId = promisedStreamId;
        promised.IsHeadRequest = info.Method == "HEAD";
        SetState(promised, StreamState.ReservedLocal);
    }

    /// <summary>Sends a PING; the peer's acknowledgement arrives as a <see cref="Events.PingAckReceived"/> event.</summary>
    /// <param name="opaqueData">Exactly eight octets, echoed back by the peer.</param>
    /// <exception cref="ArgumentException">The data is not eight octets long.</exception>
    public void Ping(ReadOnlySpan<byte> opaqueData)
    {
        ThrowIfClosed();
        PingFrame.Write(_outbound, opaqueData);
        _outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Resets a stream (RST_STREAM): it closes at once in both directions.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="errorCode">Why; <see cref="ErrorCode.Cancel"/> for a stream no longer wanted.</param>
    /// <exception cref="StreamClosedException">The stream is already closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public void ResetStream(int streamId, ErrorCode errorCode = ErrorCode.NoError)
    {
        ThrowIfClosed();
        H2Stream stream = RequireStream(streamId, releaseHeld: true);
        RstStreamFrame.Write(_outbound, streamId, errorCode);
        _outbound.MarkControlFrame(acknowledgement: false);
        SetState(stream, StreamState.Closed, StreamCloseReason.ResetSent);
        if (_log is not null)
        {
            Debug($"reset stream {streamId} ({errorCode})");
        }
    }

    /// <summary>
    /// Sends GOAWAY. With <see cref="ErrorCode.NoError"/> the shutdown is graceful: streams up to
    /// the last stream identifier run to completion and only new streams are refused; call again
    /// with a lower identifier to narrow it. With any other code the connection is finished.
    /// </summary>
    /// <param name="errorCode">Why the connection closes.</param>
    /// <param name="additionalData">Opaque diagnostic data for the peer.</param>
    /// <param name="lastStreamId">The highest peer stream that may still be processed; by default the highest one received.</param>
    /// <exception cref="ArgumentException">The last stream identifier is higher than one already announced.</exception>
    public void CloseConnection(ErrorCode errorCode = ErrorCode.NoError, ReadOnlySpan<byte> additionalData = default, int? lastStreamId = null)
    {
        if (_closed)
        {
            return;
        }

        int last = lastStreamId ?? LastProcessedStreamId;
        ArgumentOutOfRangeException.ThrowIfNegative(last, nameof(lastStreamId));
        if (_goAwaySentLastStreamId is int previous && last > previous)
        {
            // RFC 9113 §6.8: the last stream identifier must not grow between GOAWAY frames.
            throw new ArgumentException($"A GOAWAY already announced last stream {previous}; it may not grow to {last}.", nameof(lastStreamId));
        }

        GoAwayFrame.Write(_outbound, last, errorCode, additionalData);
        _outbound.MarkControlFrame(acknowledgement: false);
        _goAwaySentLastStreamId = last;
        _closed = errorCode != ErrorCode.NoError;
        if (_log is not null)
        {
            Debug($"sent GOAWAY ({errorCode}, last stream {last})");
        }
    }

    /// <summary>
    /// Sends new values for our settings. They take effect when the peer acknowledges them
    /// (a <see cref="Events.SettingsAcknowledged"/> event), each frame on its own acknowledgement.
    /// </summary>
    /// <param name="newSettings">The settings to change.</param>
    /// <exception cref="InvalidSettingsValueException">A value is not allowed (RFC 9113 §6.5.2, RFC 8441 §3).</exception>
    public void UpdateSettings(IReadOnlyDictionary<SettingCode, uint> newSettings)
    {
        ArgumentNullException.ThrowIfNull(newSettings);
        ThrowIfClosed();
        var settings = new List<Setting>(newSettings.Count);
        foreach ((SettingCode code, uint value) in newSettings)
        {
            var setting = new Setting(code, value);
            bool connectWithdrawn = code == SettingCode.EnableConnectProtocol && value == 0 && LocalSettings.Eventual(code) == 1;
            if (LocalSettings.Check(setting) is not null || connectWithdrawn
                || (code == SettingCode.EnablePush && value == 1 && !_config.ClientSide))
            {
                throw new InvalidSettingsValueException($"The value {value} is not allowed for {code}.");
            }

            settings.Add(setting);
        }

        SettingsFrame.Write(_outbound, [.. settings]);
        _outbound.MarkControlFrame(acknowledgement: false);
        LocalSettings.AddPending(settings);
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
        ThrowIfClosed();
        int id = streamId ?? 0;
        if (id == 0)
        {
            if (!_inboundConnectionWindow.TryOpen(increment))
            {
                throw new FlowControlException("The connection window would exceed 2^31-1.");
            }
        }
        else
        {
            H2Stream stream = RequireStream(id);
            CheckSend(stream, StreamInput.SendWindowUpdate);
            if (!stream.Inbound.TryOpen(increment))
            {
                throw new FlowControlException($"The window of stream {id} would exceed 2^31-1.", id);
            }
        }

        WindowUpdateFrame.Write(_outbound, id, increment);
        _outbound.MarkControlFrame(acknowledgement: false);
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
        if (!_streams.ContainsKey(streamId) && IsIdle(streamId))
        {
            throw new NoSuchStreamException($"Stream {streamId} has not been opened.", streamId);
        }

        if (_closed)
        {
            return;
        }

        ReturnConnectionCredit(acknowledgedSize);

        // A stream the peer has finished sending on needs no more credit.
        if (_streams.TryGetValue(streamId, out H2Stream? stream) && stream.State is StreamState.Open or StreamState.HalfClosedLocal)
        {
            int increment = stream.Inbound.Acknowledge(acknowledgedSize);
            if (increment > 0)
            {
                WindowUpdateFrame.Write(_outbound, streamId, increment);
                _outbound.MarkControlFrame(acknowledgement: false);
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
        if (!_closed)
        {
            ReturnConnectionCredit(acknowledgedSize);
        }
    }

    /// <summary>
    /// Advertises an alternative service (ALTSVC, RFC 7838), servers only: either for an origin on
    /// stream 0, or for the origin of a stream's request.
    /// </summary>
    /// <param name="fieldValue">The Alt-Svc field value, for example <c>h2="alt.example.com:443"; ma=3600</c>.</param>
    /// <param name="origin">The origin it applies to (ASCII serialized origin); or <see langword="null"/> with a stream.</param>
    /// <param name="streamId">The stream whose origin is meant; or <see langword="null"/> with an origin.</param>
    /// <exception cref="ArgumentException">Both or neither of origin and stream were given.</exception>
    /// <exception cref="UnsupportedFrameException">This is a client.</exception>
    public void AdvertiseAlternativeService(string fieldValue, string? origin = null, int? streamId = null)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        ThrowIfClosed();
        if (_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only servers send ALTSVC (RFC 7838 §4).");
        }

        if ((origin is null) == (streamId is null))
        {
            throw new ArgumentException("Give either an origin or a stream, not both.", nameof(origin));
        }

        if (streamId is int id)
        {
            RequireStream(id);
        }

        AltSvcFrame.Write(_outbound, streamId ?? 0, origin ?? string.Empty, fieldValue);
        _outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Lists the origins this server is authoritative for on the connection (ORIGIN, RFC 8336), servers only.</summary>
    /// <param name="origins">ASCII serialized origins such as <c>https://example.com</c>.</param>
    /// <exception cref="UnsupportedFrameException">This is a client.</exception>
    public void SendOrigins(IReadOnlyList<string> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        ThrowIfClosed();
        if (_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only servers send ORIGIN (RFC 8336 §2).");
        }

        OriginFrame.Write(_outbound, origins);
        _outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Sends an RFC 7540 PRIORITY frame for a stream; RFC 9113 deprecates these but peers may use them.</summary>
    /// <param name="streamId">The stream; it may be idle.</param>
    /// <param name="weight">1 to 256.</param>
    /// <param name="dependsOn">The stream it depends on; not itself.</param>
    /// <param name="exclusive">Whether the dependency is exclusive.</param>
    /// <exception cref="ArgumentException">The stream would depend on itself.</exception>
    public void Prioritize(int streamId, int weight = StreamPriority.DefaultWeight, int dependsOn = 0, bool exclusive = false)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfLessThan(streamId, 1);
        if (dependsOn == streamId)
        {
            throw new ArgumentException("A stream cannot depend on itself (RFC 9113 §5.3.1).", nameof(dependsOn));
        }

        PriorityFrame.Write(_outbound, streamId, new StreamPriority(dependsOn, weight, exclusive));
        _outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Sets the priority of a request with an RFC 9218 PRIORITY_UPDATE frame, clients only.</summary>
    /// <param name="streamId">The request stream; it may not be open yet.</param>
    /// <param name="priorityFieldValue">A Priority field value such as <c>u=1, i</c>.</param>
    /// <exception cref="UnsupportedFrameException">This is a server.</exception>
    public void SendPriorityUpdate(int streamId, string priorityFieldValue)
    {
        ArgumentNullException.ThrowIfNull(priorityFieldValue);
        ThrowIfClosed();
        if (!_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only clients send PRIORITY_UPDATE (RFC 9218 §7.1).");
        }

        new PriorityUpdateFrame(streamId, priorityFieldValue).WriteTo(_outbound);
        _outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>
    /// Sends a frame of an extension type (RFC 9113 §5.5) as given. The core frame types are
    /// refused: they have their own methods, which keep the connection state right.
    /// </summary>
    /// <param name="type">The type code, above CONTINUATION (0x9).</param>
    /// <param name="flags">The flag bits.</param>
    /// <param name="streamId">The stream, or 0.</param>
    /// <param name="payload">The payload, at most <see cref="MaxOutboundFrameSize"/> octets.</param>
    /// <exception cref="ArgumentException">A core type, or a payload too large.</exception>
    public void SendExtensionFrame(FrameType type, FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        if ((byte)type <= (byte)FrameType.Continuation)
        {
            throw new ArgumentException($"{type} frames are sent with their own methods.", nameof(type));
        }

        if (payload.Length > MaxOutboundFrameSize)
        {
            throw new ArgumentException($"The payload exceeds the peer's maximum frame size of {MaxOutboundFrameSize}.", nameof(payload));
        }

        UnknownFrame.Write(_outbound, type, flags, streamId, payload);
        _outbound.MarkControlFrame(acknowledgement: false);
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
        if (!_defence.Release(streamId) && _streams.TryGetValue(streamId, out H2Stream? stream))
        {
            stream.WorkCompleted = true;
        }
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "The connection is closed.");
        }
    }

    /// <summary>Checks that a new stream of ours may be opened, and makes it (not yet added).</summary>
    private H2Stream NewOutboundStream(int streamId)
    {
        if (streamId <= 0 || !IsLocalStreamId(streamId))
        {
            if (streamId > 0 && streamId <= _highestInboundStreamId)
            {
                throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
            }

            throw new ProtocolException(
                ErrorCode.ProtocolError,
                $"Stream {streamId} cannot be opened by the {(_config.ClientSide ? "client (odd identifiers)" : "server (even identifiers, by push)")}.");
        }

        if (streamId <= _highestOutboundStreamId)
        {
            if (_closedStreams.ReasonFor(streamId) != StreamCloseReason.Unknown)
            {
                throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
            }

            throw new StreamIdTooLowException($"Stream {streamId} is not above the last stream opened, {_highestOutboundStreamId}.", streamId);
        }

        if (_goAwaySentLastStreamId is not null || _goAwayReceivedLastStreamId is not null)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "No new stream may be opened after GOAWAY.");
        }

        // A client opens streams with HEADERS, a server with PUSH_PROMISE, and only push streams
        // (reserved) are exempt from the concurrency limit.
        if (_config.ClientSide && _activeOutbound >= RemoteSettings.MaxConcurrentStreams)
        {
            throw new TooManyStreamsException($"The peer allows at most {RemoteSettings.MaxConcurrentStreams} concurrent streams.");
        }

        H2Stream stream = TakeStream(streamId, isLocal: true);
        stream.Announced = true;
        return stream;
    }

    /// <summary>Looks up a send transition; throws the local-misuse exception if it is not allowed.</summary>
    private static StreamState CheckSend(H2Stream stream, StreamInput input, StreamState? from = null)
    {
        (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(from ?? stream.State, input);
        return outcome switch
        {
            StreamOutcome.Allowed => next,
            StreamOutcome.SendOnClosedStream => throw new StreamClosedException($"Stream {stream.Id} is closed for sending.", stream.Id),
            _ => throw new ProtocolException(ErrorCode.ProtocolError, $"Cannot {Describe(input)} on stream {stream.Id} in state {stream.State}.", stream.Id),
        };
    }

    private static string Describe(StreamInput input) => input switch
    {
        StreamInput.SendHeaders => "send headers",
        StreamInput.SendData => "send data",
        StreamInput.SendEndStream => "end the stream",
        StreamInput.SendPushPromise => "push",
        StreamInput.SendWindowUpdate => "send WINDOW_UPDATE",
        _ => input.ToString(),
    };

    /// <summary>Normalizes and validates outbound fields, and checks them against the peer's header list limit.</summary>
    private IReadOnlyList<HeaderField> PrepareOutbound(IReadOnlyList<HeaderField> headers, MessageKind kind, out MessageInfo info)
    {
        // One pass finds the usual case: every field plain ASCII (valid, lowercase, trimmed), with
        // no cookie to split. Such a list needs no normalizing and no further character checks.
        bool plain = true;
        for (int i = 0; i < headers.Count; i++)
        {
            HeaderField field = headers[i];
            if (field.Name is null || field.Value is null)
            {
                throw new ArgumentException("Header names and values must not be null.", nameof(headers));
            }

            plain = plain
                && HeaderValidator.IsPlainName(field.Name)
                && HeaderValidator.IsPlainValue(field.Value)
                && !(_config.SplitOutboundCookies && field.Name == "cookie" && field.Value.Contains("; ", StringComparison.Ordinal));
        }

        if (!plain)
        {
            if (_config.NormalizeOutboundHeaders)
            {
                headers = HeaderNormalizer.NormalizeOutbound(headers, _config.SplitOutboundCookies);
            }

            for (int i = 0; i < headers.Count; i++)
            {
                HeaderField field = headers[i];
                if (!Latin1.IsValid(field.Name) || !Latin1.IsValid(field.Value))
                {
                    throw new ArgumentException($"Header field '{field.Name}' holds a char above U+00FF; fields carry one octet per char.", nameof(headers));
                }
            }
        }

        long listSize = 0;
        for (int i = 0; i < headers.Count; i++)
        {
            listSize += headers[i].Size;
        }

        string? error = HeaderValidator.Validate(headers, kind, extendedConnectAllowed: RemoteSettings.EnableConnectProtocol, out info, checkChars: !plain);
        if (error is not null && _config.ValidateOutboundHeaders)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, error);
        }

        if (listSize > RemoteSettings.MaxHeaderListSize)
        {
            throw new ProtocolException(
                ErrorCode.ProtocolError,
                $"The header list of {listSize} octets exceeds the peer's SETTINGS_MAX_HEADER_LIST_SIZE of {RemoteSettings.MaxHeaderListSize}.");
        }

        return headers;
    }

    private void EncodeHeaderBlock(IReadOnlyList<HeaderField> headers)
    {
        _headerBlock.ResetWrittenCount();
        _encoder.EncodeValidated(headers, _headerBlock);
    }

    private H2Stream PrepareData(int streamId, int length, bool endStream, int padLength, out StreamState next, out int flowLength)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfNegative(padLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(padLength, byte.MaxValue);
        H2Stream stream = RequireStream(streamId, releaseHeld: true);
        next = CheckSend(stream, StreamInput.SendData);
        if (endStream)
        {
            next = CheckSend(stream, StreamInput.SendEndStream, next);
        }

        if (stream.OutboundPhase is HeaderPhase.None or HeaderPhase.Informational)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, $"Send the final header block on stream {streamId} before data.", streamId);
        }

        long sent = stream.OutboundSentLength + length;
        if (stream.OutboundExpectedLength >= 0 && (sent > stream.OutboundExpectedLength || (endStream && sent != stream.OutboundExpectedLength)))
        {
            throw new InvalidBodyLengthException(
                $"A body of {sent} octets{(endStream ? "" : " so far")} does not match content-length {stream.OutboundExpectedLength} on stream {streamId}.", streamId);
        }

        flowLength = length + (padLength > 0 ? padLength + 1 : 0);
        if (flowLength > MaxOutboundFrameSize)
        {
            throw new FrameTooLargeException(flowLength, MaxOutboundFrameSize);
        }

        if (flowLength > LocalFlowControlWindow(streamId))
        {
            throw new FlowControlException(
                $"{flowLength} octets exceed the flow-control window of {LocalFlowControlWindow(streamId)} on stream {streamId}.", streamId);
        }

        return stream;
    }

    private void CompleteData(H2Stream stream, StreamState next, int length, int flowLength, bool endStream)
    {
        stream.OutboundSentLength += length;
        stream.OutboundWindow -= flowLength;
        _outboundConnectionWindow -= flowLength;
        if (_log is not null)
        {
            Trace($"sent DATA on stream {stream.Id} ({flowLength} octets{(endStream ? ", END_STREAM" : "")})");
        }

        SetState(stream, next);
    }

    private void ReturnConnectionCredit(int length)
    {
        int increment = _inboundConnectionWindow.Acknowledge(length);
        if (increment > 0)
        {
            WindowUpdateFrame.Write(_outbound, 0, increment);
            _outbound.MarkControlFrame(acknowledgement: false);
        }
    }
}
