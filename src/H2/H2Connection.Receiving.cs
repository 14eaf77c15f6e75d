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

    // Events gather here during ReceiveData and leave as an array of the exact size, so the
    // list's growth is paid once per connection, not once per call.
    private List<Event>? _eventScratch;

    // The input of ReceiveDataInPlace while it runs, so DATA payloads can be handed out as slices of it.
    private ReadOnlyMemory<byte> _lentInput;

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
        _lentInput = default;
        return Receive(data);
    }

    /// <summary>
    /// Like <see cref="ReceiveData(ReadOnlySpan{byte})"/>, without copying body data: the
    /// <see cref="DataReceived.Data"/> of each DATA frame that lies whole in <paramref name="data"/>
    /// is a slice of it. Keep those bytes unchanged for as long as the events' data is in use
    /// (a frame split across calls is still delivered as a copy).
    /// </summary>
    /// <param name="data">The bytes received; lent to the events, not copied.</param>
    /// <returns>The events, possibly none. After the connection has closed, input is ignored.</returns>
    /// <exception cref="ProtocolException">As for <see cref="ReceiveData(ReadOnlySpan{byte})"/>.</exception>
    public IReadOnlyList<Event> ReceiveDataInPlace(ReadOnlyMemory<byte> data)
    {
        _lentInput = data;
        try
        {
            return Receive(data.Span);
        }
        finally
        {
            _lentInput = default;
        }
    }

    private Event[] Receive(ReadOnlySpan<byte> data)
    {
        if (_closed)
        {
            return [];
        }

        List<Event> events = _eventScratch ??= new List<Event>(8);
        _events = events;
        try
        {
            _reader.Read(data, _receiver);
            CheckPendingControlFrames();
            return events.Count == 0 ? [] : events.ToArray();
        }
        catch (ProtocolException error)
        {
            FailConnection(error, events.ToArray());
            throw;
        }
        finally
        {
            _events = s_noEvents;
            events.Clear();
            if (events.Capacity > 1024)
            {
                // One huge batch must not pin its list for the connection's lifetime.
                _eventScratch = null;
            }
        }
    }

    private void FailConnection(ProtocolException error, Event[] events)
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

    /// <summary>
    /// Resets a stream because the peer broke a rule confined to it (RFC 9113 §5.4.2): a live
    /// stream, or a new one refused before it entered the table.
    /// </summary>
    private void StreamError(int streamId, ErrorCode errorCode, string reason)
    {
        QueueStreamReset(streamId, errorCode, reason);
        if (_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            HoldIfUnfinished(stream);
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
    }

    /// <summary>
    /// A stream error found in a frame's own format (a length, a flag, a stream depending on
    /// itself), which holds whatever the stream's state: a live stream is reset, a closed one is
    /// answered with RST_STREAM all the same, and on an idle stream, which RST_STREAM may not
    /// name (RFC 9113 §6.4), it becomes a connection error.
    /// </summary>
    private void FrameFormatError(int streamId, ErrorCode errorCode, string reason)
    {
        if (_streams.ContainsKey(streamId))
        {
            StreamError(streamId, errorCode, reason);
        }
        else if (IsIdle(streamId))
        {
            throw new ProtocolException(errorCode, $"{reason} (on idle stream {streamId}).");
        }
        else
        {
            QueueStreamReset(streamId, errorCode, reason);
        }
    }

    /// <summary>
    /// Queues the RST_STREAM of a stream error, leaving the stream's state to the caller: on a
    /// stream that has closed, the memory of how it closed stays as it was, so later frames on it
    /// get the same answers as before.
    /// </summary>
    private void QueueStreamReset(int streamId, ErrorCode errorCode, string reason)
    {
        // CVE-2025-8671 (MadeYouReset): errors the peer provokes on purpose are resets by another name.
        _defence.CountGlitch(reason);
        RstStreamFrame.Write(_outbound, streamId, errorCode);
        QueuedControlFrame(acknowledgement: false);
        if (_log is not null)
        {
            Debug($"stream error on {streamId} ({errorCode}): {reason}");
        }
    }

    /// <summary>
    /// Keeps a stream the peer opened, now being reset before our response ended, counting against
    /// the concurrency limit until the application completes its work (see
    /// <see cref="H2Configuration.HoldResetStreams"/>).
    /// </summary>
    private void HoldIfUnfinished(H2Stream stream)
    {
        if (_config.HoldResetStreams && !_config.ClientSide && !stream.IsLocal && stream.Announced && !stream.WorkCompleted
            && stream.State is StreamState.Open or StreamState.HalfClosedRemote)
        {
            _defence.Hold(stream.Id);
        }
    }

    /// <summary>Notes a control frame just queued and, while receiving, checks the bounds on those waiting.</summary>
    private void QueuedControlFrame(bool acknowledgement)
    {
        _outbound.MarkControlFrame(acknowledgement);
        CheckPendingControlFrames();
    }

    /// <summary>
    /// Refuses a peer that makes us queue answers faster than they are taken (CVE-2019-9512 ping
    /// flood, CVE-2019-9515 settings flood, CVE-2019-9514 reset flood).
    /// </summary>
    private void CheckPendingControlFrames()
    {
        if (_outbound.PendingAcknowledgements > _config.MaxPendingAcknowledgements)
        {
            throw new DenialOfServiceException($"More than {_config.MaxPendingAcknowledgements} SETTINGS and PING acknowledgements wait to be sent.");
        }

        if (_outbound.PendingControlFrames > _config.MaxPendingControlFrames)
        {
            throw new DenialOfServiceException($"More than {_config.MaxPendingControlFrames} control frames wait to be sent.");
        }
    }

    private static ProtocolException ConnectionError(ErrorCode errorCode, string message) => new(errorCode, message);

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
    /// streams: ignored after we reset it (frames may have been in flight); STREAM_CLOSED after the
    /// peer reset it, a stream error; and after both sides ended it, a stream error for DATA but a
    /// connection error for HEADERS, since a peer that reuses a finished stream's identifier is
    /// confused about the whole connection.
    /// </summary>
    private void OnFrameForClosedStream(int streamId, string what, bool isHeaders)
    {
        switch (_closedStreams.ReasonFor(streamId))
        {
            case StreamCloseReason.ResetSent:
                // A whole window of DATA from a client uploading when we said no is normal once; a
                // stream of reset streams that keep getting frames is a flood, so each costs one glitch.
                _closedStreams.Remember(streamId, StreamCloseReason.ResetSentLateFramesSeen);
                _defence.CountGlitch($"{what} on a stream we reset");
                return;
            case StreamCloseReason.ResetSentLateFramesSeen:
                return;
            case StreamCloseReason.EndStream when isHeaders:
                throw ConnectionError(ErrorCode.StreamClosed, $"HEADERS on stream {streamId}, which both sides have ended.");
            case StreamCloseReason.Unknown when isHeaders && !IsLocalStreamId(streamId):
                // Never opened (skipped over) or long forgotten: a new stream may not reuse a lower id.
                throw new StreamIdTooLowException($"HEADERS on stream {streamId}, below the highest stream {_highestInboundStreamId}.");
            default:
                QueueStreamReset(streamId, ErrorCode.StreamClosed, $"{what} on closed stream");
                return;
        }
    }

    private void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowLength)
    {
        if (data.IsEmpty && !endStream)
        {
            // CVE-2019-9518: empty DATA frames cost work and carry nothing.
            _defence.CountGlitch("an empty DATA frame");
        }

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

        _events.Add(new DataReceived(streamId, OwnedPayload(data), flowLength, ended));
        AddIfNotNull(ended);
    }

    /// <summary>
    /// The payload as the application keeps it: a slice of lent input when it lies there, else a
    /// copy (into an array left unzeroed, since every octet is written at once).
    /// </summary>
    private ReadOnlyMemory<byte> OwnedPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (!_lentInput.IsEmpty && _lentInput.Span.Overlaps(payload, out int offset) && offset >= 0 && offset + payload.Length <= _lentInput.Length)
        {
            return _lentInput.Slice(offset, payload.Length);
        }

        byte[] copy = GC.AllocateUninitializedArray<byte>(payload.Length);
        payload.CopyTo(copy);
        return copy;
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

            _defence.CountInboundReset();
            if (_closedStreams.ReasonFor(streamId) != StreamCloseReason.EndStream)
            {
                // RFC 9113 §5.1: after its RST_STREAM the peer may send nothing more on the stream,
                // even one we had reset first (each side's reset crossed the other's).
                _closedStreams.Remember(streamId, StreamCloseReason.ResetReceived);
            }

            return;
        }

        _defence.CountInboundReset();
        HoldIfUnfinished(stream);
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
                _defence.CountGlitch("a SETTINGS acknowledgement with nothing pending");
                return;
            }

            ApplyLocalSettings(changes);
            _events.Add(new SettingsAcknowledged(changes));
            return;
        }

        if (payload.Count > _config.MaxSettingsPerFrame)
        {
            // Each entry is work, and a long list of repeats is only ever an attack.
            throw new DenialOfServiceException($"A SETTINGS frame with {payload.Count} entries; at most {_config.MaxSettingsPerFrame} are accepted.");
        }

        Setting[] settings = payload.ToArray();
        Dictionary<SettingCode, ChangedSetting> changed = ApplyRemoteSettings(settings);
        SettingsFrame.WriteAck(_outbound);
        QueuedControlFrame(acknowledgement: true);
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

    private void OnPriority(int streamId, StreamPriority priority)
    {
        // CVE-2019-9513: no priority tree is kept, so churn costs little, but it is still bounded.
        _defence.CountGlitch("a PRIORITY frame");
        if (priority.DependsOn == streamId)
        {
            // RFC 9113 §5.3.1: a stream cannot depend on itself.
            FrameFormatError(streamId, ErrorCode.ProtocolError, "PRIORITY makes a stream depend on itself");
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


}
