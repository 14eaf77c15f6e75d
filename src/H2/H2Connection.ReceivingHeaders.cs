using H2.Connection;
using H2.Events;
using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2;

/// <summary>
/// Receiving header blocks: decoded fragment by fragment as their frames arrive, then turned into
/// requests, responses, trailers and promises.
/// </summary>
public sealed partial class H2Connection
{
    private static readonly HeaderField[] s_requestHeaderFieldsTooLarge = [(":status", "431")];

    // The header block being received: its opening frame, and the fields decoded so far (in a
    // list reused from block to block; each message gets an array of the exact size).
    private List<HeaderField>? _blockFields;
    private int _blockStreamId;
    private int _blockPromisedStreamId;
    private bool _blockEndStream;
    private StreamPriority? _blockPriority;

    /// <summary>Starts a header block: a HEADERS frame, or a PUSH_PROMISE (non-zero <paramref name="promisedStreamId"/>).</summary>
    private void BeginHeaderBlock(int streamId, int promisedStreamId, bool endStream, StreamPriority? priority)
    {
        if (!_config.ClientSide && promisedStreamId != 0)
        {
            // RFC 9113 §8.4: a client cannot push.
            throw new UnsupportedFrameException("A client sent PUSH_PROMISE.");
        }

        _blockFields ??= new List<HeaderField>(16);
        _blockFields.Clear();
        _blockStreamId = streamId;
        _blockPromisedStreamId = promisedStreamId;
        _blockEndStream = endStream;
        _blockPriority = priority;
    }

    /// <summary>
    /// Decodes the next fragment of the header block at once, so a block is never buffered whole
    /// nor parsed twice, and acts on the message when the block is complete. HPACK stays in step
    /// whatever becomes of the message: a refused block is still decoded to its end.
    /// </summary>
    private void OnHeaderFragment(ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        if (fragment.IsEmpty && !endHeaders)
        {
            // CVE-2019-9518: empty fragments cost work and carry nothing.
            _defence.CountGlitch("an empty header block fragment");
        }

        string? listError = null;
        try
        {
            _decoder.DecodeFragment(fragment, endHeaders, _blockFields!);
        }
        catch (HpackDecodingException error) when (error.IsCompressionContextIntact)
        {
            listError = error.Message;
        }
        catch (HpackDecodingException error) when (error.Kind == HpackErrorKind.HeaderListFarTooLarge)
        {
            // Far beyond our limit: not worth decoding to the end, so the context is lost (RFC 9113 §4.3).
            throw new DenialOfServiceException(ErrorCode.CompressionError, error.Message, streamId: null);
        }
        catch (HpackDecodingException error)
        {
            // RFC 9113 §4.3: a header block that cannot be decoded is a COMPRESSION_ERROR.
            throw new ProtocolException(ErrorCode.CompressionError, error.Message, null, error);
        }

        if (!endHeaders)
        {
            return;
        }

        HeaderField[] fields = [.. _blockFields!];
        _blockFields!.Clear();
        if (_blockFields.Capacity > 256)
        {
            // A large block must not pin its list for the connection's lifetime.
            _blockFields = null;
        }

        if (_blockPromisedStreamId == 0)
        {
            OnHeaders(_blockStreamId, fields, listError, _blockEndStream, _blockPriority);
        }
        else
        {
            OnPushPromise(_blockStreamId, _blockPromisedStreamId, fields, listError);
        }
    }

    private void OnHeaders(int streamId, HeaderField[] fields, string? listError, bool endStream, StreamPriority? priority)
    {
        if (!_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            if (!IsIdle(streamId))
            {
                if (priority?.DependsOn == streamId)
                {
                    // RFC 9113 §5.3.1: the frame's own format comes before the stream's state.
                    QueueStreamReset(streamId, ErrorCode.ProtocolError, "HEADERS make a stream depend on itself");
                    return;
                }

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

            if (_activeInbound + _defence.HeldStreams >= LocalSettings.Eventual(SettingCode.MaxConcurrentStreams))
            {
                // RFC 9113 §5.1.2: refusing one stream is a stream error; the client may retry it.
                StreamError(streamId, ErrorCode.RefusedStream, "too many concurrent streams");
                return;
            }

            stream = TakeStream(streamId, isLocal: false);
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
            if (stream.State == StreamState.Idle)
            {
                RefuseOversizedRequest(stream, endStream, listError);
            }
            else
            {
                StreamError(streamId, ErrorCode.ProtocolError, listError);
            }

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
                if (stream.InboundPhase == HeaderPhase.Informational)
                {
                    // A 100 and a 103 or two are usual; a stream of them is a flood that costs us
                    // each one (and a client that keeps them, memory).
                    _defence.CountGlitch("a further informational response");
                }

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

    /// <summary>
    /// Answers a request whose header list exceeds our SETTINGS_MAX_HEADER_LIST_SIZE with 431
    /// (Request Header Fields Too Large, RFC 6585 §5) and ends the stream, as RFC 9113 §10.5.1
    /// suggests; the application never hears of it. If the request is still coming, RST_STREAM
    /// with NO_ERROR asks the client to stop sending it (RFC 9113 §8.1).
    /// </summary>
    private void RefuseOversizedRequest(H2Stream stream, bool requestEnded, string reason)
    {
        _defence.CountGlitch(reason);
        EncodeHeaderBlock(s_requestHeaderFieldsTooLarge);
        HeadersFrame.Write(_outbound, stream.Id, _headerBlock.WrittenSpan, MaxOutboundFrameSize, endStream: true);
        if (!requestEnded)
        {
            RstStreamFrame.Write(_outbound, stream.Id, ErrorCode.NoError);
            QueuedControlFrame(acknowledgement: false);
        }

        SetState(stream, StreamState.Closed, requestEnded ? StreamCloseReason.EndStream : StreamCloseReason.ResetSent);
        if (_log is not null)
        {
            Debug($"answered 431 on stream {stream.Id}: {reason}");
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

    private void OnPushPromise(int streamId, int promisedStreamId, HeaderField[] fields, string? listError)
    {
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
            if (!IsIdle(streamId) && _closedStreams.ReasonFor(streamId) is StreamCloseReason.ResetSent or StreamCloseReason.ResetSentLateFramesSeen)
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

        H2Stream promised = TakeStream(promisedStreamId, isLocal: false);
        promised.Announced = true;
        promised.IsHeadRequest = info.Method == "HEAD";
        promised.Origin = parent.Origin;
        AddStream(promised, StreamInput.RecvPushPromise);
        _events.Add(new PushedStreamReceived(promisedStreamId, streamId, _config.NormalizeInboundHeaders ? HeaderNormalizer.JoinCookies(fields) : fields));
    }
}
