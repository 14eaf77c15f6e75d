using H2.Events;
using H2.Frames;

namespace H2.Connection;

/// <summary>
/// How the peer's mistakes are answered (RFC 9113 §5.4): a stream error with RST_STREAM, the
/// stream closed and remembered as reset by us; frames on streams that have closed, each as §5.1
/// says for the way it closed; a frame's own format checked before its stream's state; and the
/// bounds on answers the peer leaves waiting (the 2019 floods).
/// </summary>
internal sealed class PeerErrors(ConnectionContext context, FrameDispatcher dispatcher)
{
    private StreamTable Streams => context.Streams;

    private ConnectionLog? Log => context.Log;

    /// <summary>
    /// Acts on a stream's verdict: allowed goes on; a stream error resets the stream; a connection
    /// error is thrown. Returns whether the frame is allowed.
    /// </summary>
    public bool Apply(H2Stream stream, StreamVerdict? verdict) => verdict is null || Refuse(stream, verdict);

    private bool Refuse(H2Stream stream, StreamVerdict verdict)
    {
        if (verdict.Kind == StreamVerdict.Scope.Stream)
        {
            StreamError(stream.Id, verdict.Code, verdict.Reason);
            return false;
        }

        throw new ProtocolException(verdict.Code, verdict.Reason);
    }

    /// <summary>
    /// Resets a stream because the peer broke a rule confined to it (RFC 9113 §5.4.2): a live
    /// stream, or a new one refused before it entered the table.
    /// </summary>
    public void StreamError(int streamId, ErrorCode errorCode, string reason)
    {
        QueueStreamReset(streamId, errorCode, reason);
        if (Streams.TryGet(streamId, out H2Stream? stream))
        {
            HoldIfUnfinished(stream);
            object? userData = stream.UserData;
            stream.MoveTo(StreamState.Closed, StreamCloseReason.ResetSent);
            if (stream.Announced)
            {
                dispatcher.Emit(new StreamReset(streamId, errorCode, remoteReset: false), userData);
            }
        }
        else
        {
            Streams.RememberClosed(streamId, StreamCloseReason.ResetSent);
        }
    }

    /// <summary>
    /// Queues the RST_STREAM of a stream error, leaving the stream's state to the caller: on a
    /// stream that has closed, the memory of how it closed stays as it was, so later frames on it
    /// get the same answers as before.
    /// </summary>
    public void QueueStreamReset(int streamId, ErrorCode errorCode, string reason)
    {
        // CVE-2025-8671 (MadeYouReset): errors the peer provokes on purpose are resets by another name.
        context.Defence.CountGlitch(reason);
        RstStreamFrame.Write(context.Outbound, streamId, errorCode);
        QueuedControlFrame(acknowledgement: false);
        Log?.Debug($"stream error on {streamId} ({errorCode}): {reason}");
    }

    /// <summary>
    /// Answers a frame on a stream that is no longer in the table, as RFC 9113 §5.1 says for closed
    /// streams: ignored after we reset it (frames may have been in flight); STREAM_CLOSED after the
    /// peer reset it, a stream error; and after both sides ended it, a stream error for DATA but a
    /// connection error for HEADERS, since a peer that reuses a finished stream's identifier is
    /// confused about the whole connection.
    /// </summary>
    public void OnFrameForClosedStream(int streamId, string what, bool isHeaders)
    {
        switch (Streams.ClosedReason(streamId))
        {
            case StreamCloseReason.ResetSent:
                // A whole window of DATA from a client uploading when we said no is normal once; a
                // stream of reset streams that keep getting frames is a flood, so each costs one glitch.
                Streams.RememberClosed(streamId, StreamCloseReason.ResetSentLateFramesSeen);
                context.Defence.CountGlitch($"{what} on a stream we reset");
                return;
            case StreamCloseReason.ResetSentLateFramesSeen:
                return;
            case StreamCloseReason.EndStream when isHeaders:
                throw new ProtocolException(ErrorCode.StreamClosed, $"HEADERS on stream {streamId}, which both sides have ended.");
            case StreamCloseReason.Unknown when isHeaders && !Streams.IsLocal(streamId):
                // Never opened (skipped over) or long forgotten: a new stream may not reuse a lower id.
                throw new StreamIdTooLowException($"HEADERS on stream {streamId}, below the highest stream {Streams.HighestInbound}.");
            default:
                QueueStreamReset(streamId, ErrorCode.StreamClosed, $"{what} on closed stream");
                return;
        }
    }

    /// <summary>
    /// Keeps a stream the peer opened, now being reset before our response ended, counting against
    /// the concurrency limit until the application completes its work (see
    /// <see cref="H2Configuration.HoldResetStreams"/>).
    /// </summary>
    public void HoldIfUnfinished(H2Stream stream)
    {
        if (context.Config.HoldResetStreams && !context.Config.ClientSide && !stream.IsLocal && stream.Announced && !stream.WorkCompleted
            && stream.State is StreamState.Open or StreamState.HalfClosedRemote)
        {
            context.Defence.Hold(stream.Id);
        }
    }

    /// <summary>Notes a control frame just queued and checks the bounds on those waiting.</summary>
    public void QueuedControlFrame(bool acknowledgement)
    {
        context.Outbound.MarkControlFrame(acknowledgement);
        CheckPendingControlFrames();
    }

    /// <summary>
    /// A stream error found in a frame's own format (a length, a flag, a stream depending on
    /// itself), which holds whatever the stream's state: a live stream is reset, a closed one is
    /// answered with RST_STREAM all the same, and on an idle stream, which RST_STREAM may not
    /// name (RFC 9113 §6.4), it becomes a connection error.
    /// </summary>
    public void FrameFormatError(int streamId, ErrorCode errorCode, string reason)
    {
        if (Streams.Contains(streamId))
        {
            StreamError(streamId, errorCode, reason);
        }
        else if (Streams.IsIdle(streamId))
        {
            throw new ProtocolException(errorCode, $"{reason} (on idle stream {streamId}).");
        }
        else
        {
            QueueStreamReset(streamId, errorCode, reason);
        }
    }

    /// <summary>
    /// Refuses a peer that makes us queue answers faster than they are taken (CVE-2019-9512 ping
    /// flood, CVE-2019-9515 settings flood, CVE-2019-9514 reset flood).
    /// </summary>
    public void CheckPendingControlFrames()
    {
        if (context.Outbound.PendingAcknowledgements > context.Config.MaxPendingAcknowledgements)
        {
            throw new DenialOfServiceException($"More than {context.Config.MaxPendingAcknowledgements} SETTINGS and PING acknowledgements wait to be sent.");
        }

        if (context.Outbound.PendingControlFrames > context.Config.MaxPendingControlFrames)
        {
            throw new DenialOfServiceException($"More than {context.Config.MaxPendingControlFrames} control frames wait to be sent.");
        }
    }
}
