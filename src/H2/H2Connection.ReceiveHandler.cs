using H2.Events;
using H2.Frames;

namespace H2;

/// <summary>The frame handler through which the connection receives.</summary>
public sealed partial class H2Connection
{
    /// <summary>Receives the frames of the <see cref="FrameReader"/>; kept apart so these methods are not public on the connection.</summary>
    private sealed class ReceiveHandler(H2Connection connection) : IHeaderFragmentHandler
    {
        public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received DATA on stream {streamId} ({flowControlledLength} octets{(endStream ? ", END_STREAM" : "")})");
            }

            connection.OnData(streamId, data, endStream, flowControlledLength);
        }

        public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received HEADERS on stream {streamId} ({fragment.Length} octets of header block{(endStream ? ", END_STREAM" : "")}{(endHeaders ? "" : ", more to come")})");
            }

            connection.BeginHeaderBlock(streamId, promisedStreamId: 0, endStream, priority);
            connection.OnHeaderFragment(fragment, endHeaders);
        }

        public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders)
        {
            connection.BeginHeaderBlock(streamId, promisedStreamId, endStream: false, priority: null);
            connection.OnHeaderFragment(fragment, endHeaders);
        }

        public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders)
        {
            if (connection._log is not null)
            {
                connection.Trace($"received CONTINUATION on stream {streamId} ({fragment.Length} octets)");
            }

            connection.OnHeaderFragment(fragment, endHeaders);
        }

        // The reader hands header blocks to this handler fragment by fragment, never joined.
        public void OnHeaders(int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, StreamPriority? priority) =>
            OnHeadersFragment(streamId, headerBlock, endHeaders: true, endStream, priority);

        public void OnPushPromise(int streamId, int promisedStreamId, ReadOnlySpan<byte> headerBlock) =>
            OnPushPromiseFragment(streamId, promisedStreamId, headerBlock, endHeaders: true);

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

        public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData)
        {
            if (ack)
            {
                connection._events.Add(new PingAckReceived(opaqueData.ToArray()));
                return;
            }

            PingFrame.Write(connection._outbound, opaqueData, ack: true);
            connection.QueuedControlFrame(acknowledgement: true);
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
                connection._defence.CountGlitch("an ALTSVC frame sent to a server");
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
            else
            {
                connection._defence.CountGlitch("an ORIGIN frame sent to a server");
            }
        }

        public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue)
        {
            if (connection._config.ClientSide)
            {
                // RFC 9218 §7.1: a client receiving PRIORITY_UPDATE treats it as a connection PROTOCOL_ERROR.
                throw ConnectionError(ErrorCode.ProtocolError, "A server sent PRIORITY_UPDATE.");
            }

            // Reprioritizing costs us little, as no tree is kept, but a flood of it is still churn.
            connection._defence.CountGlitch("a PRIORITY_UPDATE frame");
            connection._events.Add(new PriorityUpdateReceived(prioritizedStreamId, Latin1.GetString(priorityFieldValue)));
        }

        public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload)
        {
            connection._defence.CountGlitch($"an unexpected {header.Type.RfcName()} frame");
            if (header.Type is FrameType.AltSvc or FrameType.Origin)
            {
                // The reader hands on ALTSVC and ORIGIN frames it could not accept (an origin on the
                // wrong stream, lengths beyond the payload): RFC 7838 §4 and RFC 8336 §2.1 say such
                // frames are ignored, so the application does not hear of them.
                return;
            }

            connection._events.Add(new UnknownFrameReceived(new UnknownFrame(header.Type, header.Flags, header.StreamId, payload.ToArray())));
        }

        // RFC 9113 §6.3, §6.9: the frame's format is checked before the stream's state, so a malformed
        // frame is an error on a closed stream too.
        public void OnStreamError(ProtocolException exception) =>
            connection.FrameFormatError(exception.StreamId!.Value, exception.ErrorCode, exception.Message);
    }
}
