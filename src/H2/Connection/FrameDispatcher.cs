using H2.Events;
using H2.Frames;

namespace H2.Connection;

/// <summary>
/// The receiving side of a connection: the one handler of its <see cref="FrameReader"/>. Every
/// frame type is taken here and turned into state changes and events; what the peer did wrong
/// becomes a stream error (RST_STREAM, RFC 9113 §5.4.2) or a connection error (GOAWAY, §5.4.1,
/// thrown as <see cref="ProtocolException"/> out of <c>Receive</c>). Header blocks go on to
/// the <see cref="HeaderBlockReceiver"/>, whole messages to the <see cref="MessageReceiver"/>.
/// </summary>
internal sealed class FrameDispatcher : IFrameHandler
{
    private readonly ConnectionContext _context;

    // Where the events of the Receive under way go: the application's sink, or the list that
    // ReceiveData returns. Outside Receive, a sink that takes nothing.
    private IEventSink _sink = EventList.None;

    // Events gather here when the caller wants a list, and leave as an array of the exact size, so
    // the list's growth is paid once per connection, not once per call.
    private EventList? _list;

    // The input of ReceiveDataInPlace while it runs, so DATA payloads can be handed out as slices of it.
    private ReadOnlyMemory<byte> _lentInput;

    public FrameDispatcher(ConnectionContext context)
    {
        _context = context;
        Errors = new PeerErrors(context, this);
        HeaderBlocks = new HeaderBlockReceiver(context, this, new MessageReceiver(context, this));
    }

    /// <summary>How the peer's mistakes are answered.</summary>
    public PeerErrors Errors { get; }

    /// <summary>Where header block fragments go.</summary>
    public HeaderBlockReceiver HeaderBlocks { get; }

    private StreamTable Streams => _context.Streams;

    private ConnectionLog? Log => _context.Log;

    /// <summary>Reads received bytes into a list of events; <paramref name="lent"/>, when given, is their memory, lent to DATA events.</summary>
    public Event[] Receive(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> lent)
    {
        if (_context.State.IsClosed)
        {
            return [];
        }

        EventList list = _list ??= new EventList();
        try
        {
            Receive(data, lent, list);
            return list.Count == 0 ? [] : list.ToArray();
        }
        catch (ProtocolException error)
        {
            error.Events = list.ToArray();
            throw;
        }
        finally
        {
            if (!list.Clear())
            {
                // One huge batch must not pin its list for the connection's lifetime.
                _list = null;
            }
        }
    }

    /// <summary>Reads received bytes, handing each event to <paramref name="sink"/> as it is produced.</summary>
    public void Receive(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> lent, IEventSink sink)
    {
        if (_context.State.IsClosed)
        {
            return;
        }

        _lentInput = lent;
        _sink = sink;
        try
        {
            _context.Reader.Read(data, this);
            Errors.CheckPendingControlFrames();
        }
        catch (ProtocolException error) when (!_context.Delivering)
        {
            Fail(error);
            throw;
        }
        catch (Exception) when (_context.Delivering)
        {
            // The application's sink threw: its view of the connection is lost, so the connection ends.
            _context.Delivering = false;
            Fail(new ProtocolException(ErrorCode.InternalError, "The application failed while handling an event."));
            throw;
        }
        finally
        {
            _sink = EventList.None;
            _lentInput = default;
        }
    }

    /// <summary>Hands one event on, with the object the application attached to its stream.</summary>
    internal void Emit(Event item, object? userData = null)
    {
        if (_sink is EventList list)
        {
            list.Add(item);
            return;
        }

        // While the application's code runs, the connection refuses calls that would change a
        // stream under the frame being read.
        _context.Delivering = true;
        _sink.OnEvent(item, userData);
        _context.Delivering = false;
    }

    public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength)
    {
        Log?.Trace($"received DATA on stream {streamId} ({flowControlledLength} octets{(endStream ? ", END_STREAM" : "")})");
        if (data.IsEmpty && !endStream)
        {
            // CVE-2019-9518: empty DATA frames cost work and carry nothing.
            _context.Defence.CountGlitch("an empty DATA frame");
        }

        // RFC 9113 §6.9: DATA counts against the connection window whatever becomes of it.
        if (!_context.Flow.TryReceive(flowControlledLength))
        {
            throw new FlowControlException($"DATA of {flowControlledLength} octets exceeds the connection window of {_context.Flow.InboundAvailable}.");
        }

        if (!Streams.TryGet(streamId, out H2Stream? stream))
        {
            if (Streams.IsIdle(streamId))
            {
                throw new ProtocolException(ErrorCode.ProtocolError, $"DATA on idle stream {streamId}.");
            }

            _context.ReturnCredit(flowControlledLength);
            Errors.OnFrameForClosedStream(streamId, "DATA", isHeaders: false);
            return;
        }

        // Taken before the frame can close the stream, which drops it.
        object? userData = stream.UserData;
        if (!Errors.Apply(stream, stream.ReceiveData(data.Length, flowControlledLength, endStream)))
        {
            // The data never reaches the application: credit it back here.
            _context.ReturnCredit(flowControlledLength);
            return;
        }

        StreamEnded? ended = endStream ? new StreamEnded(streamId) : null;
        Emit(new DataReceived(streamId, OwnedPayload(data), flowControlledLength, ended), userData);
        EmitIfNotNull(ended, userData);
    }

    public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority)
    {
        Log?.Trace($"received HEADERS on stream {streamId} ({fragment.Length} octets of header block{(endStream ? ", END_STREAM" : "")}{(endHeaders ? "" : ", more to come")})");
        HeaderBlocks.Begin(streamId, promisedStreamId: 0, endStream, priority);
        HeaderBlocks.Fragment(fragment, endHeaders);
    }

    public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        HeaderBlocks.Begin(streamId, promisedStreamId, endStream: false, priority: null);
        HeaderBlocks.Fragment(fragment, endHeaders);
    }

    public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        Log?.Trace($"received CONTINUATION on stream {streamId} ({fragment.Length} octets)");
        HeaderBlocks.Fragment(fragment, endHeaders);
    }

    public void OnPriority(int streamId, StreamPriority priority)
    {
        // CVE-2019-9513: no priority tree is kept, so churn costs little, but it is still bounded.
        _context.Defence.CountGlitch("a PRIORITY frame");
        if (priority.DependsOn == streamId)
        {
            // RFC 9113 §5.3.1: a stream cannot depend on itself.
            Errors.FrameFormatError(streamId, ErrorCode.ProtocolError, "PRIORITY makes a stream depend on itself");
            return;
        }

        Emit(new PriorityUpdated(streamId, priority.Weight, priority.DependsOn, priority.Exclusive), Streams.TryGet(streamId, out H2Stream? stream) ? stream.UserData : null);
    }

    public void OnRstStream(int streamId, ErrorCode errorCode)
    {
        Log?.Debug($"received RST_STREAM on stream {streamId} ({errorCode})");
        if (!Streams.TryGet(streamId, out H2Stream? stream))
        {
            if (Streams.IsIdle(streamId))
            {
                // RFC 9113 §6.4: RST_STREAM on an idle stream is a connection PROTOCOL_ERROR.
                throw new ProtocolException(ErrorCode.ProtocolError, $"RST_STREAM on idle stream {streamId}.");
            }

            _context.Defence.CountInboundReset();
            if (Streams.ClosedReason(streamId) != StreamCloseReason.EndStream)
            {
                // RFC 9113 §5.1: after its RST_STREAM the peer may send nothing more on the stream,
                // even one we had reset first (each side's reset crossed the other's).
                Streams.RememberClosed(streamId, StreamCloseReason.ResetReceived);
            }

            return;
        }

        _context.Defence.CountInboundReset();
        Errors.HoldIfUnfinished(stream);
        object? userData = stream.UserData;
        stream.MoveTo(StreamState.Closed, StreamCloseReason.ResetReceived);
        if (stream.Announced)
        {
            Emit(new StreamReset(streamId, errorCode, remoteReset: true), userData);
        }
    }

    public void OnSettings(bool ack, SettingsPayload settings)
    {
        Log?.Trace(ack ? "received SETTINGS ACK" : $"received SETTINGS ({SettingsFrame.Describe(settings.ToArray())})");
        if (ack)
        {
            Dictionary<SettingCode, ChangedSetting>? changes = _context.Settings.Acknowledged();
            if (changes is null)
            {
                Log?.Debug("SETTINGS acknowledgement with nothing pending; ignored");
                _context.Defence.CountGlitch("a SETTINGS acknowledgement with nothing pending");
                return;
            }

            _context.ApplyLocal(changes);
            Emit(new SettingsAcknowledged(changes));
            return;
        }

        if (settings.Count > _context.Config.MaxSettingsPerFrame)
        {
            // Each entry is work, and a long list of repeats is only ever an attack.
            throw new DenialOfServiceException($"A SETTINGS frame with {settings.Count} entries; at most {_context.Config.MaxSettingsPerFrame} are accepted.");
        }

        Dictionary<SettingCode, ChangedSetting> changed = _context.ApplyRemote(settings.ToArray());
        SettingsFrame.WriteAck(_context.Outbound);
        Errors.QueuedControlFrame(acknowledgement: true);
        Emit(new RemoteSettingsChanged(changed));
    }

    public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData)
    {
        if (ack)
        {
            Emit(new PingAckReceived(opaqueData.ToArray()));
            return;
        }

        PingFrame.Write(_context.Outbound, opaqueData, ack: true);
        Errors.QueuedControlFrame(acknowledgement: true);
        Emit(new PingReceived(opaqueData.ToArray()));
    }

    public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData)
    {
        _context.State.ReceivedGoAway(lastStreamId);
        Emit(new ConnectionTerminated(errorCode, lastStreamId, debugData.ToArray()));

        // RFC 9113 §6.8: our streams above the last stream were not processed; they may be retried elsewhere.
        foreach (H2Stream stream in Streams.Live.Where(s => s.IsLocal && s.Id > lastStreamId).ToArray())
        {
            object? userData = stream.UserData;
            stream.MoveTo(StreamState.Closed, StreamCloseReason.ResetReceived);
            Emit(new StreamReset(stream.Id, ErrorCode.RefusedStream, remoteReset: true), userData);
        }

        Log?.Debug($"received GOAWAY ({errorCode}, last stream {lastStreamId})");
    }

    public void OnWindowUpdate(int streamId, int increment)
    {
        Log?.Trace($"received WINDOW_UPDATE on stream {streamId} (+{increment})");
        if (streamId == 0)
        {
            if (!_context.Flow.TryGrow(increment))
            {
                // RFC 9113 §6.9.1: a window above 2^31-1 is a FLOW_CONTROL_ERROR, for the connection a connection error.
                throw new FlowControlException("WINDOW_UPDATE grows the connection window past 2^31-1.");
            }

            Emit(new WindowUpdated(0, increment));
            return;
        }

        if (!Streams.TryGet(streamId, out H2Stream? stream))
        {
            if (Streams.IsIdle(streamId))
            {
                throw new ProtocolException(ErrorCode.ProtocolError, $"WINDOW_UPDATE on idle stream {streamId}.");
            }

            // RFC 9113 §5.1: WINDOW_UPDATE may still arrive on a stream that has just closed.
            return;
        }

        if (Errors.Apply(stream, stream.ReceiveWindowUpdate(increment)))
        {
            Emit(new WindowUpdated(streamId, increment), stream.UserData);
        }
    }

    public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue)
    {
        // RFC 7838 §4: only clients act on ALTSVC; on a stream it names that stream's origin.
        if (!_context.Config.ClientSide)
        {
            _context.Defence.CountGlitch("an ALTSVC frame sent to a server");
            return;
        }

        string? name = streamId == 0 ? Latin1.GetString(origin) : Streams.TryGet(streamId, out H2Stream? stream) ? stream.Origin : null;
        if (name is not null)
        {
            Emit(new AlternativeServiceAvailable(name, Latin1.GetString(fieldValue)));
        }
    }

    public void OnOrigin(IReadOnlyList<string> origins)
    {
        // RFC 8336 §2.1: servers ignore ORIGIN.
        if (_context.Config.ClientSide)
        {
            Emit(new OriginReceived(origins));
        }
        else
        {
            _context.Defence.CountGlitch("an ORIGIN frame sent to a server");
        }
    }

    public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue)
    {
        if (_context.Config.ClientSide)
        {
            // RFC 9218 §7.1: a client receiving PRIORITY_UPDATE treats it as a connection PROTOCOL_ERROR.
            throw new ProtocolException(ErrorCode.ProtocolError, "A server sent PRIORITY_UPDATE.");
        }

        // Reprioritizing costs us little, as no tree is kept, but a flood of it is still churn.
        _context.Defence.CountGlitch("a PRIORITY_UPDATE frame");
        Emit(new PriorityUpdateReceived(prioritizedStreamId, Latin1.GetString(priorityFieldValue)));
    }

    public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        _context.Defence.CountGlitch($"an unexpected {header.Type.RfcName()} frame");
        if (header.Type is FrameType.AltSvc or FrameType.Origin)
        {
            // The reader hands on ALTSVC and ORIGIN frames it could not accept (an origin on the
            // wrong stream, lengths beyond the payload): RFC 7838 §4 and RFC 8336 §2.1 say such
            // frames are ignored, so the application does not hear of them.
            return;
        }

        Emit(new UnknownFrameReceived(new UnknownFrame(header.Type, header.Flags, header.StreamId, payload.ToArray())));
    }

    // RFC 9113 §6.3, §6.9: the frame's format is checked before the stream's state, so a malformed
    // frame is an error on a closed stream too.
    public void OnStreamError(ProtocolException exception) =>
        Errors.FrameFormatError(exception.StreamId!.Value, exception.ErrorCode, exception.Message);

    internal void EmitIfNotNull(Event? item, object? userData)
    {
        if (item is not null)
        {
            Emit(item, userData);
        }
    }

    private void Fail(ProtocolException error)
    {
        // RFC 9113 §5.4.1: the last stream we may have acted on, then the error code, and the
        // reason as debug data (ASCII, bounded).
        int length = Math.Min(error.Message.Length, 256);
        Span<byte> debug = stackalloc byte[length];
        for (int i = 0; i < length; i++)
        {
            debug[i] = (byte)Math.Min((int)error.Message[i], 0x7f);
        }

        int last = _context.State.LastProcessed(Streams.HighestInbound);
        GoAwayFrame.Write(_context.Outbound, last, error.ErrorCode, debug);
        _context.State.SentGoAway(last, error: true);
        Log?.Debug($"connection error {error.ErrorCode}: {error.Message}");
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
}
