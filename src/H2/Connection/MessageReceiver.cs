using H2.Events;
using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2.Connection;

/// <summary>
/// What a whole header block of the peer's means: a request opening a stream (RFC 9113 §5.1.1,
/// §5.1.2, §8.3.1), a response, trailers, or a promise (§8.4); checked against the stream's rules
/// and the field rules, and reported as events.
/// </summary>
internal sealed class MessageReceiver(ConnectionContext context, FrameDispatcher dispatcher)
{
    private StreamTable Streams => context.Streams;


    /// <summary>A whole HEADERS block on <paramref name="streamId"/>; <paramref name="stream"/> is the live stream it was on when the block began, if any.</summary>
    public void OnHeaders(int streamId, H2Stream? stream, in ReceivedBlock block, bool endStream, StreamPriority? priority)
    {
        if (stream is null)
        {
            if (!Streams.IsIdle(streamId))
            {
                if (priority?.DependsOn == streamId)
                {
                    // RFC 9113 §5.3.1: the frame's own format comes before the stream's state.
                    dispatcher.Errors.QueueStreamReset(streamId, ErrorCode.ProtocolError, "HEADERS make a stream depend on itself");
                    return;
                }

                dispatcher.Errors.OnFrameForClosedStream(streamId, "HEADERS", isHeaders: true);
                return;
            }

            if (context.Config.ClientSide || Streams.IsLocal(streamId))
            {
                // RFC 9113 §5.1.1: only clients open streams with HEADERS, and with odd identifiers.
                throw new ProtocolException(ErrorCode.ProtocolError, $"HEADERS on idle stream {streamId}, which the peer may not open.");
            }

            Streams.NoteInbound(streamId);
            if (context.State.Refuses(streamId))
            {
                // RFC 9113 §6.8: streams above our GOAWAY's last stream are not processed.
                dispatcher.Errors.StreamError(streamId, ErrorCode.RefusedStream, "stream opened after GOAWAY");
                return;
            }

            if (Streams.InboundAtLimit(context.Settings.Local.Eventual(SettingCode.MaxConcurrentStreams), context.Defence.HeldStreams))
            {
                // RFC 9113 §5.1.2: refusing one stream is a stream error; the client may retry it.
                dispatcher.Errors.StreamError(streamId, ErrorCode.RefusedStream, "too many concurrent streams");
                return;
            }

            stream = context.TakeStream(streamId, isLocal: false);
            Streams.Add(stream, StreamState.Idle);
        }

        if (!dispatcher.Errors.Apply(stream, stream.CheckReceive(StreamInput.RecvHeaders, "HEADERS", out StreamState next)))
        {
            return;
        }

        if (stream.State == StreamState.ReservedRemote && Streams.ActiveInbound >= context.Settings.Local.Eventual(SettingCode.MaxConcurrentStreams))
        {
            // RFC 9113 §5.1.2: a pushed response makes the stream count; refuse it beyond our limit.
            dispatcher.Errors.StreamError(streamId, ErrorCode.RefusedStream, "too many concurrent streams");
            return;
        }

        if (block.ListError is not null)
        {
            if (stream.State == StreamState.Idle)
            {
                dispatcher.HeaderBlocks.RefuseOversizedRequest(stream, endStream, block.ListError);
            }
            else
            {
                dispatcher.Errors.StreamError(streamId, ErrorCode.ProtocolError, block.ListError);
            }

            return;
        }

        MessageKind kind = stream.InboundKind;
        MessageInfo info = block.Info;
        if (!block.Violation.IsNone && context.Config.ValidateInboundHeaders)
        {
            dispatcher.Errors.StreamError(streamId, ErrorCode.ProtocolError, block.Violation.Message!);
            return;
        }

        bool furtherInformational = kind == MessageKind.Response && info.IsInformational && stream.InboundPhase == HeaderPhase.Informational;
        HeaderField[] headers = block.Fields;

        // Taken before the block can close the stream, which drops it.
        object? userData = stream.UserData;
        if (!dispatcher.Errors.Apply(stream, stream.ReceiveHeaders(kind, info, endStream, next)))
        {
            return;
        }

        if (furtherInformational)
        {
            // A 100 and a 103 or two are usual; a stream of them is a flood that costs us each one
            // (and a client that keeps them, memory).
            context.Defence.CountGlitch("a further informational response");
        }

        StreamEnded? ended = endStream ? new StreamEnded(streamId) : null;
        PriorityUpdated? priorityUpdated = priority is StreamPriority p ? new PriorityUpdated(streamId, p.Weight, p.DependsOn, p.Exclusive) : null;
        stream.Announced = true;
        dispatcher.Emit(
            kind switch
            {
                MessageKind.Request => new RequestReceived(streamId, headers, ended, priorityUpdated),
                MessageKind.Trailers => new TrailersReceived(streamId, headers, ended, priorityUpdated),
                _ when info.IsInformational => new InformationalResponseReceived(streamId, headers, priorityUpdated),
                _ => new ResponseReceived(streamId, headers, ended, priorityUpdated),
            },
            userData);
        dispatcher.EmitIfNotNull(ended, userData);
        dispatcher.EmitIfNotNull(priorityUpdated, userData);
        if (priority is StreamPriority self && self.DependsOn == streamId)
        {
            // RFC 9113 §5.3.1: a stream cannot depend on itself.
            dispatcher.Errors.StreamError(streamId, ErrorCode.ProtocolError, "stream depends on itself");
        }
    }

    public void OnPushPromise(int streamId, int promisedStreamId, in ReceivedBlock block)
    {
        if (!context.Settings.Local.EnablePush)
        {
            // RFC 9113 §6.6: a PUSH_PROMISE once our ENABLE_PUSH = 0 is acknowledged is a connection PROTOCOL_ERROR.
            throw new UnsupportedFrameException("PUSH_PROMISE although push is disabled.");
        }

        if (promisedStreamId <= Streams.HighestInbound)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, $"PUSH_PROMISE promises stream {promisedStreamId}, which is not new.");
        }

        Streams.NoteInbound(promisedStreamId);
        if (Streams.TryGet(streamId, out H2Stream? associated) && !associated.IsLocal)
        {
            // RFC 9113 §6.6: promises are made only on streams the client opened.
            throw new ProtocolException(ErrorCode.ProtocolError, $"PUSH_PROMISE on pushed stream {streamId}.");
        }

        uint limit = context.Settings.Local.Eventual(SettingCode.MaxConcurrentStreams);
        string? refusal =
            context.Settings.Local.Eventual(SettingCode.EnablePush) == 0 ? "push disabled (not yet acknowledged)"
            : context.State.Refuses(promisedStreamId) ? "promise after our GOAWAY"
            : Streams.ReservedAtLimit(limit) ? "too many reserved streams"
            : null;
        if (!Streams.TryGet(streamId, out H2Stream? parent))
        {
            if (!Streams.IsIdle(streamId) && Streams.ClosedReason(streamId) is StreamCloseReason.ResetSent or StreamCloseReason.ResetSentLateFramesSeen)
            {
                // RFC 9113 §5.1: a promise on a stream we reset still reserves a stream; reset it too.
                dispatcher.Errors.StreamError(promisedStreamId, ErrorCode.Cancel, "promise on a stream we reset");
                return;
            }

            throw new ProtocolException(ErrorCode.ProtocolError, $"PUSH_PROMISE on stream {streamId}, which is not open.");
        }

        (_, StreamOutcome outcome) = StreamStateMachine.Transition(parent.State, StreamInput.RecvPushPromise);
        if (outcome != StreamOutcome.Allowed)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, $"PUSH_PROMISE on stream {streamId} in state {parent.State}.");
        }

        if (refusal is not null)
        {
            dispatcher.Errors.StreamError(promisedStreamId, ErrorCode.RefusedStream, refusal);
            return;
        }

        MessageInfo info = block.Info;
        string? error = block.ListError ?? (context.Config.ValidateInboundHeaders ? block.Violation.Message : null);
        if (error is not null)
        {
            dispatcher.Errors.StreamError(promisedStreamId, ErrorCode.ProtocolError, error);
            return;
        }

        H2Stream promised = context.TakeStream(promisedStreamId, isLocal: false);
        promised.Announced = true;
        promised.IsHeadRequest = info.Method == "HEAD";
        promised.Origin = parent.Origin;
        Streams.Add(promised, StreamState.ReservedRemote);
        dispatcher.Emit(new PushedStreamReceived(promisedStreamId, streamId, block.Fields), parent.UserData);
    }
}
