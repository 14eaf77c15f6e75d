using H2.Connection;
using H2.Events;
using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2;

/// <summary>Receiving: frames from the <see cref="FrameReader"/> become state changes and events.</summary>
public sealed partial class H2Connection
{
    // Outside ReceiveData nothing may be added; a shared empty list keeps no events alive.
    private static readonly List<Event> s_noEvents = [];
    private List<Event> _events = s_noEvents;

    /// <summary>
    /// Hands received bytes to the connection and returns what the peer did, in order. Answers the
    /// protocol requires (SETTINGS and PING acknowledgements, resets for stream errors) are queued
    /// for <see cref="DataToSend()"/>. Bytes may arrive in chunks of any size.
    /// </summary>
    /// <param name="data">The bytes received.</param>
    /// <returns>The events, possibly none. After the connection has closed, input is ignored.</returns>
    /// <exception cref="ProtocolException">
    /// A connection error (RFC 9113 §5.4.1): GOAWAY with its error code is already queued, so flush
    /// <see cref="DataToSend()"/> and close the transport. <see cref="ProtocolException.Events"/>
    /// holds the events this call produced before the error.
    /// </exception>
    public IReadOnlyList<Event> ReceiveData(ReadOnlySpan<byte> data)
    {
        var events = new List<Event>();
        if (_closed)
        {
            return events;
        }

        _events = events;
        try
        {
            _reader.Read(data, _receiver);
        }
        catch (ProtocolException error)
        {
            FailConnection(error, events);
            throw;
        }
        finally
        {
            _events = s_noEvents;
        }

        return events;
    }

    private void FailConnection(ProtocolException error, List<Event> events)
    {
        // RFC 9113 §5.4.1: the last stream we may have acted on, then the error code.
        int length = Math.Min(error.Message.Length, 256);
        Span<byte> debug = stackalloc byte[length];
        for (int i = 0; i < length; i++)
        {
            debug[i] = (byte)Math.Min((int)error.Message[i], 0x7f);
        }

        int last = LastProcessedStreamId;
        GoAwayFrame.Write(_outbound, last, error.ErrorCode, debug);
        _goAwaySentLastStreamId = last;
        _closed = true;
        error.Events = events;
        if (_log is not null)
        {
            Debug($"connection error {error.ErrorCode}: {error.Message}");
        }
    }

    /// <summary>Resets a stream because the peer broke a rule confined to it (RFC 9113 §5.4.2).</summary>
    private void StreamError(int streamId, ErrorCode errorCode, string reason)
    {
        RstStreamFrame.Write(_outbound, streamId, errorCode);
        if (_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            SetState(stream, StreamState.Closed, StreamCloseReason.ResetSent);
            if (stream.Announced)
            {
                _events.Add(new StreamReset(streamId, errorCode, remoteReset: false));
            }
        }
        else
        {
            _closedStreams.Remember(streamId, StreamCloseReason.ResetSent);
        }

        if (_log is not null)
        {
            Debug($"stream error on {streamId} ({errorCode}): {reason}");
        }
    }

    private static ProtocolException ConnectionError(ErrorCode errorCode, string message) => new(errorCode, message);

    /// <summary>Decodes a header block, keeping HPACK in step whatever happens to the message.</summary>
    private List<HeaderField> DecodeHeaderBlock(ReadOnlySpan<byte> block, out string? listError)
    {
        var fields = new List<HeaderField>();
        listError = null;
        try
        {
            _decoder.Decode(block, fields);
        }
        catch (HpackDecodingException error) when (error.IsCompressionContextIntact)
        {
            listError = error.Message;
        }
        catch (HpackDecodingException error)
        {
            // RFC 9113 §4.3: a header block that cannot be decoded is a COMPRESSION_ERROR.
            throw new ProtocolException(ErrorCode.CompressionError, error.Message, null, error);
        }

        return fields;
    }

    private void OnHeaders(int streamId, ReadOnlySpan<byte> block, bool endStream, StreamPriority? priority)
    {
        List<HeaderField> fields = DecodeHeaderBlock(block, out string? listError);
        if (!_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            if (!IsIdle(streamId))
            {
                OnFrameForClosedStream(streamId, "HEADERS", isHeaders: true);
                return;
            }

            if (_config.ClientSide || IsLocalStreamId(streamId))
            {
                // RFC 9113 §5.1.1: only clients open streams with HEADERS, and with odd identifiers.
                throw ConnectionError(ErrorCode.ProtocolError, $"HEADERS on idle stream {streamId}, which the peer may not open.");
            }

            _highestInboundStreamId = streamId;
            if (_goAwaySentLastStreamId is int last && streamId > last)
            {
                // RFC 9113 §6.8: streams above our GOAWAY's last stream are not processed.
                StreamError(streamId, ErrorCode.RefusedStream, "stream opened after GOAWAY");
                return;
            }

            if (_activeInbound >= LocalSettings.Eventual(SettingCode.MaxConcurrentStreams))
            {
                // RFC 9113 §5.1.2: refusing one stream is a stream error; the client may retry it.
                StreamError(streamId, ErrorCode.RefusedStream, "too many concurrent streams");
                return;
            }

            stream = new H2Stream(streamId, isLocal: false, RemoteSettings.InitialWindowSize, LocalSettings.InitialWindowSize);
            _streams.Add(streamId, stream);
        }

        (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(stream.State, StreamInput.RecvHeaders);
        if (!IsAllowed(stream, outcome, "HEADERS"))
        {
            return;
        }

        if (stream.State == StreamState.ReservedRemote && _activeInbound >= LocalSettings.Eventual(SettingCode.MaxConcurrentStreams))
        {
            // RFC 9113 §5.1.2: a pushed response makes the stream count; refuse it beyond our limit.
            StreamError(streamId, ErrorCode.RefusedStream, "too many concurrent streams");
            return;
        }

        if (listError is not null)
        {
            StreamError(streamId, ErrorCode.ProtocolError, listError);
            return;
        }

        MessageKind kind = stream.InboundPhase switch
        {
            HeaderPhase.Final => MessageKind.Trailers,
            _ => stream.IsLocal || stream.State == StreamState.ReservedRemote ? MessageKind.Response : MessageKind.Request,
        };
        string? error = HeaderValidator.Validate(fields, kind, extendedConnectAllowed: LocalSettings.Eventual(SettingCode.EnableConnectProtocol) == 1, out MessageInfo info);
        error = _config.ValidateInboundHeaders ? error : null;
        error ??= kind switch
        {
            // RFC 9113 §8.1: trailers end the stream, and a 1xx response never does.
            MessageKind.Trailers when !endStream => "Trailers without END_STREAM.",
            MessageKind.Response when info.IsInformational && endStream => "An informational response with END_STREAM.",
            _ => null,
        };
        if (error is not null)
        {
            StreamError(streamId, ErrorCode.ProtocolError, error);
            return;
        }

        IReadOnlyList<HeaderField> headers = _config.NormalizeInboundHeaders ? HeaderNormalizer.JoinCookies(fields) : fields;
        switch (kind)
        {
            case MessageKind.Request:
                stream.InboundPhase = HeaderPhase.Final;
                stream.InboundExpectedLength = info.ContentLength;
                stream.IsHeadRequest = info.Method == "HEAD";
                stream.IsConnectRequest = info.Method == "CONNECT";
                break;
            case MessageKind.Response when info.IsInformational:
                stream.InboundPhase = HeaderPhase.Informational;
                break;
            case MessageKind.Response:
                stream.InboundPhase = HeaderPhase.Final;

                // RFC 9113 §8.1.1: responses to HEAD, and 204 and 304, have no content whatever their content-length says.
                stream.InboundExpectedLength = stream.IsHeadRequest || info.Status is 204 or 304 ? 0 : info.ContentLength;
                break;
            default:
                stream.InboundPhase = HeaderPhase.Trailers;
                break;
        }

        SetState(stream, next);
        StreamEnded? ended = endStream ? EndInboundStream(stream) : null;
        if (endStream && ended is null)
        {
            return;
        }

        PriorityUpdated? priorityUpdated = priority is StreamPriority p ? new PriorityUpdated(streamId, p.Weight, p.DependsOn, p.Exclusive) : null;
        stream.Announced = true;
        _events.Add(kind switch
        {
            MessageKind.Request => new RequestReceived(streamId, headers, ended, priorityUpdated),
            MessageKind.Trailers => new TrailersReceived(streamId, headers, ended, priorityUpdated),
            _ when info.IsInformational => new InformationalResponseReceived(streamId, headers, priorityUpdated),
            _ => new ResponseReceived(streamId, headers, ended, priorityUpdated),
        });
        AddIfNotNull(ended);
        AddIfNotNull(priorityUpdated);
        if (priority is StreamPriority self && self.DependsOn == streamId)
        {
            // RFC 9113 §5.3.1: a stream cannot depend on itself.
            StreamError(streamId, ErrorCode.ProtocolError, "stream depends on itself");
        }
    }

    /// <summary>Applies END_STREAM from the peer and checks the body against content-length; null if that reset the stream.</summary>
    private StreamEnded? EndInboundStream(H2Stream stream)
    {
        if (stream.InboundExpectedLength >= 0 && stream.InboundReceivedLength != stream.InboundExpectedLength)
        {
            // RFC 9113 §8.1.1: a body whose length differs from content-length makes the message malformed.
            StreamError(stream.Id, ErrorCode.ProtocolError, $"body of {stream.InboundReceivedLength} octets, content-length {stream.InboundExpectedLength}");
            return null;
        }

        (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(stream.State, StreamInput.RecvEndStream);
        if (!IsAllowed(stream, outcome, "END_STREAM"))
        {
            return null;
        }

        SetState(stream, next);
        return new StreamEnded(stream.Id);
    }

    /// <summary>Acts on a refused receive transition: a stream error, or a thrown connection error.</summary>
    private bool IsAllowed(H2Stream stream, StreamOutcome outcome, string what)
    {
        switch (outcome)
        {
            case StreamOutcome.Allowed:
                return true;
            case StreamOutcome.StreamClosedError:
                StreamError(stream.Id, ErrorCode.StreamClosed, $"{what} after the peer ended the stream");
                return false;
            default:
                throw ConnectionError(ErrorCode.ProtocolError, $"{what} on stream {stream.Id} in state {stream.State}.");
        }
    }

    /// <summary>
    /// Answers a frame on a stream that is no longer in the table, as RFC 9113 §5.1 says for closed
    /// streams: ignored after we reset it, STREAM_CLOSED after it ended or the peer reset it.
    /// </summary>
    private void OnFrameForClosedStream(int streamId, string what, bool isHeaders)
    {
        switch (_closedStreams.ReasonFor(streamId))
        {
            case StreamCloseReason.ResetSent:
                return;
            case StreamCloseReason.Unknown when isHeaders && !IsLocalStreamId(streamId):
                // Never opened (skipped over) or long forgotten: a new stream may not reuse a lower id.
                throw new StreamIdTooLowException($"HEADERS on stream {streamId}, below the highest stream {_highestInboundStreamId}.");
            default:
                StreamError(streamId, ErrorCode.StreamClosed, $"{what} on closed stream");
                return;
        }
    }

    private void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowLength)
    {
        // RFC 9113 §6.9: DATA counts against the connection window whatever becomes of it.
        if (!_inboundConnectionWindow.TryConsume(flowLength))
        {
            throw new FlowControlException($"DATA of {flowLength} octets exceeds the connection window of {_inboundConnectionWindow.Available}.");
        }

        if (!_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            if (IsIdle(streamId))
            {
                throw ConnectionError(ErrorCode.ProtocolError, $"DATA on idle stream {streamId}.");
            }

            ReturnConnectionCredit(flowLength);
            OnFrameForClosedStream(streamId, "DATA", isHeaders: false);
            return;
        }

        (StreamState next, StreamOutcome outcome) = StreamStateMachine.Transition(stream.State, StreamInput.RecvData);
        if (!IsAllowed(stream, outcome, "DATA"))
        {
            ReturnConnectionCredit(flowLength);
            return;
        }

        if (!stream.Inbound.TryConsume(flowLength))
        {
            ReturnConnectionCredit(flowLength);
            StreamError(streamId, ErrorCode.FlowControlError, $"DATA of {flowLength} octets exceeds the stream window of {stream.Inbound.Available}");
            return;
        }

        stream.InboundReceivedLength += data.Length;
        string? error = stream.InboundPhase is not HeaderPhase.Final
            ? "DATA before the final header block"
            : stream.InboundExpectedLength >= 0 && stream.InboundReceivedLength > stream.InboundExpectedLength
                ? $"body exceeds content-length {stream.InboundExpectedLength}"
                : null;
        if (error is not null)
        {
            ReturnConnectionCredit(flowLength);
            StreamError(streamId, ErrorCode.ProtocolError, error);
            return;
        }

        SetState(stream, next);
        StreamEnded? ended = endStream ? EndInboundStream(stream) : null;
        if (endStream && ended is null)
        {
            // The stream was reset and the data never reaches the application: credit it back here.
            ReturnConnectionCredit(flowLength);
            return;
        }

        _events.Add(new DataReceived(streamId, data.ToArray(), flowLength, ended));
        AddIfNotNull(ended);
    }

    private void OnRstStream(int streamId, ErrorCode errorCode)
    {
        if (!_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            if (IsIdle(streamId))
            {
                // RFC 9113 §6.4: RST_STREAM on an idle stream is a connection PROTOCOL_ERROR.
                throw ConnectionError(ErrorCode.ProtocolError, $"RST_STREAM on idle stream {streamId}.");
            }

            return;
        }

        SetState(stream, StreamState.Closed, StreamCloseReason.ResetReceived);
        if (stream.Announced)
        {
            _events.Add(new StreamReset(streamId, errorCode, remoteReset: true));
        }
    }

    private void OnWindowUpdate(int streamId, int increment)
    {
        if (streamId == 0)
        {
            if (_outboundConnectionWindow + increment > int.MaxValue)
            {
                // RFC 9113 §6.9.1: a window above 2^31-1 is a FLOW_CONTROL_ERROR, for the connection a connection error.
                throw new FlowControlException("WINDOW_UPDATE grows the connection window past 2^31-1.");
            }

            _outboundConnectionWindow += increment;
            _events.Add(new WindowUpdated(0, increment));
            return;
        }

        if (!_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            if (IsIdle(streamId))
            {
                throw ConnectionError(ErrorCode.ProtocolError, $"WINDOW_UPDATE on idle stream {streamId}.");
            }

            // RFC 9113 §5.1: WINDOW_UPDATE may still arrive on a stream that has just closed.
            return;
        }

        (_, StreamOutcome outcome) = StreamStateMachine.Transition(stream.State, StreamInput.RecvWindowUpdate);
        if (!IsAllowed(stream, outcome, "WINDOW_UPDATE"))
        {
            return;
        }

        if (stream.OutboundWindow + increment > int.MaxValue)
        {
            StreamError(streamId, ErrorCode.FlowControlError, "WINDOW_UPDATE grows the stream window past 2^31-1");
            return;
        }

        stream.OutboundWindow += increment;
        _events.Add(new WindowUpdated(streamId, increment));
    }

    private void OnSettings(bool ack, SettingsPayload payload)
    {
        if (ack)
        {
            Dictionary<SettingCode, ChangedSetting>? changes = LocalSettings.Acknowledge();
            if (changes is null)
            {
                Debug("SETTINGS acknowledgement with nothing pending; ignored");
                return;
            }

            ApplyLocalSettings(changes);
            _events.Add(new SettingsAcknowledged(changes));
            return;
        }

        Setting[] settings = payload.ToArray();
        Dictionary<SettingCode, ChangedSetting> changed = ApplyRemoteSettings(settings);
        SettingsFrame.WriteAck(_outbound);
        _events.Add(new RemoteSettingsChanged(changed));
    }

    /// <summary>Checks and applies the peer's settings (RFC 9113 §6.5.3: all of a frame, in order).</summary>
    private Dictionary<SettingCode, ChangedSetting> ApplyRemoteSettings(Setting[] settings)
    {
        foreach (Setting setting in settings)
        {
            if (RemoteSettings.Check(setting) is ErrorCode code)
            {
                throw new InvalidSettingsValueException(code, $"Invalid value {setting.Value} for {setting.Code}.");
            }

            if (setting.Code == SettingCode.EnablePush && setting.Value == 1 && _config.ClientSide)
            {
                // RFC 9113 §6.5.2: a server never announces ENABLE_PUSH = 1.
                throw new InvalidSettingsValueException("A server announced SETTINGS_ENABLE_PUSH = 1.");
            }
        }

        int oldWindow = RemoteSettings.InitialWindowSize;
        Dictionary<SettingCode, ChangedSetting> changes = RemoteSettings.Apply(settings);
        if (changes.ContainsKey(SettingCode.InitialWindowSize))
        {
            // RFC 9113 §6.9.2: the change applies to every stream's window, which may go negative.
            long delta = (long)RemoteSettings.InitialWindowSize - oldWindow;
            foreach (H2Stream stream in _streams.Values)
            {
                stream.OutboundWindow += delta;
                if (stream.OutboundWindow > int.MaxValue)
                {
                    throw new FlowControlException("SETTINGS_INITIAL_WINDOW_SIZE grows a stream window past 2^31-1.");
                }
            }
        }

        if (changes.ContainsKey(SettingCode.HeaderTableSize))
        {
            _encoder.HeaderTableSize = (int)Math.Min(RemoteSettings.HeaderTableSize, (uint)_config.MaxEncoderTableSize);
        }

        return changes;
    }

    /// <summary>Puts our own settings into force once the peer has acknowledged them.</summary>
    private void ApplyLocalSettings(Dictionary<SettingCode, ChangedSetting> changes)
    {
        foreach (ChangedSetting change in changes.Values)
        {
            switch (change.Setting)
            {
                case SettingCode.HeaderTableSize:
                    _decoder.MaxAllowedTableSize = (int)Math.Min(change.NewValue, int.MaxValue);
                    break;
                case SettingCode.MaxFrameSize:
                    _reader.MaxFrameSize = (int)change.NewValue;
                    break;
                case SettingCode.MaxHeaderListSize:
                    _decoder.MaxHeaderListSize = (int)Math.Min(change.NewValue, int.MaxValue);
                    break;
                case SettingCode.InitialWindowSize:
                    int delta = (int)((long)change.NewValue - (change.OriginalValue ?? 65535));
                    foreach (H2Stream stream in _streams.Values)
                    {
                        stream.Inbound.Resize(delta);
                    }

                    break;
            }
        }
    }

    private void OnPushPromise(int streamId, int promisedStreamId, ReadOnlySpan<byte> block)
    {
        if (!_config.ClientSide)
        {
            // RFC 9113 §8.4: a client cannot push.
            throw new UnsupportedFrameException("A client sent PUSH_PROMISE.");
        }

        List<HeaderField> fields = DecodeHeaderBlock(block, out string? listError);
        if (!LocalSettings.EnablePush)
        {
            // RFC 9113 §6.6: a PUSH_PROMISE once our ENABLE_PUSH = 0 is acknowledged is a connection PROTOCOL_ERROR.
            throw new UnsupportedFrameException("PUSH_PROMISE although push is disabled.");
        }

        if (promisedStreamId <= _highestInboundStreamId)
        {
            throw ConnectionError(ErrorCode.ProtocolError, $"PUSH_PROMISE promises stream {promisedStreamId}, which is not new.");
        }

        _highestInboundStreamId = promisedStreamId;
        if (_streams.TryGetValue(streamId, out H2Stream? associated) && !associated.IsLocal)
        {
            // RFC 9113 §6.6: promises are made only on streams the client opened.
            throw ConnectionError(ErrorCode.ProtocolError, $"PUSH_PROMISE on pushed stream {streamId}.");
        }

        string? refusal =
            LocalSettings.Eventual(SettingCode.EnablePush) == 0 ? "push disabled (not yet acknowledged)"
            : _goAwaySentLastStreamId is int last && promisedStreamId > last ? "promise after our GOAWAY"
            : _reservedInbound >= LocalSettings.Eventual(SettingCode.MaxConcurrentStreams) ? "too many reserved streams"
            : null;
        if (!_streams.TryGetValue(streamId, out H2Stream? parent))
        {
            if (!IsIdle(streamId) && _closedStreams.ReasonFor(streamId) == StreamCloseReason.ResetSent)
            {
                // RFC 9113 §5.1: a promise on a stream we reset still reserves a stream; reset it too.
                StreamError(promisedStreamId, ErrorCode.Cancel, "promise on a stream we reset");
                return;
            }

            throw ConnectionError(ErrorCode.ProtocolError, $"PUSH_PROMISE on stream {streamId}, which is not open.");
        }

        (_, StreamOutcome outcome) = StreamStateMachine.Transition(parent.State, StreamInput.RecvPushPromise);
        if (outcome != StreamOutcome.Allowed)
        {
            throw ConnectionError(ErrorCode.ProtocolError, $"PUSH_PROMISE on stream {streamId} in state {parent.State}.");
        }

        if (refusal is not null)
        {
            StreamError(promisedStreamId, ErrorCode.RefusedStream, refusal);
            return;
        }

        string? error = HeaderValidator.Validate(fields, MessageKind.PushedRequest, extendedConnectAllowed: false, out MessageInfo info);
        error = listError ?? (_config.ValidateInboundHeaders ? error : null);
        if (error is not null)
        {
            StreamError(promisedStreamId, ErrorCode.ProtocolError, error);
            return;
        }

        var promised = new H2Stream(promisedStreamId, isLocal: false, RemoteSettings.InitialWindowSize, LocalSettings.InitialWindowSize)
        {
            Announced = true,
            IsHeadRequest = info.Method == "HEAD",
            Origin = parent.Origin,
        };
        AddStream(promised, StreamInput.RecvPushPromise);
        _events.Add(new PushedStreamReceived(promisedStreamId, streamId, _config.NormalizeInboundHeaders ? HeaderNormalizer.JoinCookies(fields) : fields));
    }

    private void OnPriority(int streamId, StreamPriority priority)
    {
        if (priority.DependsOn == streamId)
        {
            // RFC 9113 §5.3.1: a stream cannot depend on itself. RST_STREAM is not allowed on an
            // idle stream (§6.4), so there the stream error becomes a connection error.
            if (!_streams.ContainsKey(streamId) && IsIdle(streamId))
            {
                throw ConnectionError(ErrorCode.ProtocolError, $"PRIORITY makes idle stream {streamId} depend on itself.");
            }

            StreamError(streamId, ErrorCode.ProtocolError, "stream depends on itself");
            return;
        }

        _events.Add(new PriorityUpdated(streamId, priority.Weight, priority.DependsOn, priority.Exclusive));
    }

    private void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData)
    {
        _goAwayReceivedLastStreamId = Math.Min(lastStreamId, _goAwayReceivedLastStreamId ?? int.MaxValue);
        _events.Add(new ConnectionTerminated(errorCode, lastStreamId, debugData.ToArray()));

        // RFC 9113 §6.8: our streams above the last stream were not processed; they may be retried elsewhere.
        foreach (H2Stream stream in _streams.Values.Where(s => s.IsLocal && s.Id > lastStreamId).ToArray())
        {
            SetState(stream, StreamState.Closed, StreamCloseReason.ResetReceived);
            _events.Add(new StreamReset(stream.Id, ErrorCode.RefusedStream, remoteReset: true));
        }

        if (_log is not null)
        {
            Debug($"received GOAWAY ({errorCode}, last stream {lastStreamId})");
        }
    }

    private void AddIfNotNull(Event? item)
    {
        if (item is not null)
        {
            _events.Add(item);
        }
    }

    /// <summary>Receives the frames of the <see cref="FrameReader"/>; kept apart so these methods are not public on the connection.</summary>
    private sealed class ReceiveHandler(H2Connection connection) : IFrameHandler
    {
        public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received DATA on stream {streamId} ({flowControlledLength} octets{(endStream ? ", END_STREAM" : "")})");
            }

            connection.OnData(streamId, data, endStream, flowControlledLength);
        }

        public void OnHeaders(int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, StreamPriority? priority)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received HEADERS on stream {streamId} ({headerBlock.Length} octets of header block{(endStream ? ", END_STREAM" : "")})");
            }

            connection.OnHeaders(streamId, headerBlock, endStream, priority);
        }

        public void OnPriority(int streamId, StreamPriority priority) => connection.OnPriority(streamId, priority);

        public void OnRstStream(int streamId, ErrorCode errorCode)
        {
            if (connection._log is not null)
            {
                connection.Debug($"received RST_STREAM on stream {streamId} ({errorCode})");
            }

            connection.OnRstStream(streamId, errorCode);
        }

        public void OnSettings(bool ack, SettingsPayload settings)
        {
            if (connection._log is not null)
            {
                connection.Trace(ack ? "received SETTINGS ACK" : $"received SETTINGS ({settings.Count} settings)");
            }

            connection.OnSettings(ack, settings);
        }

        public void OnPushPromise(int streamId, int promisedStreamId, ReadOnlySpan<byte> headerBlock) =>
            connection.OnPushPromise(streamId, promisedStreamId, headerBlock);

        public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData)
        {
            if (ack)
            {
                connection._events.Add(new PingAckReceived(opaqueData.ToArray()));
                return;
            }

            PingFrame.Write(connection._outbound, opaqueData, ack: true);
            connection._events.Add(new PingReceived(opaqueData.ToArray()));
        }

        public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData) =>
            connection.OnGoAway(lastStreamId, errorCode, debugData);

        public void OnWindowUpdate(int streamId, int increment)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received WINDOW_UPDATE on stream {streamId} (+{increment})");
            }

            connection.OnWindowUpdate(streamId, increment);
        }

        public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue)
        {
            // RFC 7838 §4: only clients act on ALTSVC; on a stream it names that stream's origin.
            if (!connection._config.ClientSide)
            {
                return;
            }

            string? name = streamId == 0 ? Latin1.GetString(origin) : connection._streams.GetValueOrDefault(streamId)?.Origin;
            if (name is not null)
            {
                connection._events.Add(new AlternativeServiceAvailable(name, Latin1.GetString(fieldValue)));
            }
        }

        public void OnOrigin(IReadOnlyList<string> origins)
        {
            // RFC 8336 §2.1: servers ignore ORIGIN.
            if (connection._config.ClientSide)
            {
                connection._events.Add(new OriginReceived(origins));
            }
        }

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue)
        {
            if (connection._config.ClientSide)
            {
                // RFC 9218 §7.1: a client receiving PRIORITY_UPDATE treats it as a connection PROTOCOL_ERROR.
                throw ConnectionError(ErrorCode.ProtocolError, "A server sent PRIORITY_UPDATE.");
            }

            connection._events.Add(new PriorityUpdateReceived(prioritizedStreamId, Latin1.GetString(priorityFieldValue)));
        }

        public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload) =>
            connection._events.Add(new UnknownFrameReceived(new UnknownFrame(header.Type, header.Flags, header.StreamId, payload.ToArray())));

        public void OnStreamError(ProtocolException exception)
        {
            int streamId = exception.StreamId!.Value;
            if (connection._streams.ContainsKey(streamId))
            {
                connection.StreamError(streamId, exception.ErrorCode, exception.Message);
            }
            else if (connection.IsIdle(streamId))
            {
                // A stream error on a stream that never existed cannot be answered with RST_STREAM
                // (RFC 9113 §6.4), so it becomes a connection error.
                throw new ProtocolException(exception.ErrorCode, exception.Message);
            }
        }
    }
}
