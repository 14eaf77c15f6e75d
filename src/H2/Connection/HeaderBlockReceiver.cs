using H2.Frames;
using H2.Headers;
using H2.Hpack;

namespace H2.Connection;

/// <summary>
/// The peer's header blocks as their frames arrive: each fragment decoded at once into a
/// <see cref="HeaderListSink"/> that checks and keeps each field as it comes, so a block is never
/// buffered whole nor walked twice, with HPACK's failures mapped to RFC 9113 §4.3's answers
/// (COMPRESSION_ERROR; ENHANCE_YOUR_CALM for a list far over the limit). A whole block goes on to
/// the <see cref="MessageReceiver"/>; a request over our header list limit is answered 431 here.
/// </summary>
internal sealed class HeaderBlockReceiver(ConnectionContext context, FrameDispatcher dispatcher, MessageReceiver messages)
{
    private static readonly HeaderField[] s_requestHeaderFieldsTooLarge = [(":status", "431")];

    // The block being received: its opening frame, and the fields decoded so far (in a list reused
    // from block to block; each message gets an array of the exact size).
    private List<HeaderField>? _fields;
    private HeaderListSink _sink;
    private int _streamId;
    private H2Stream? _stream;
    private int _promisedStreamId;
    private bool _endStream;
    private StreamPriority? _priority;

    /// <summary>Starts a header block: a HEADERS frame, or a PUSH_PROMISE (non-zero <paramref name="promisedStreamId"/>).</summary>
    public void Begin(int streamId, int promisedStreamId, bool endStream, StreamPriority? priority)
    {
        if (!context.Config.ClientSide && promisedStreamId != 0)
        {
            // RFC 9113 §8.4: a client cannot push.
            throw new UnsupportedFrameException("A client sent PUSH_PROMISE.");
        }

        // The kind is known before the first field: nothing else can happen to the stream while its
        // block is coming (RFC 9113 §6.10). A HEADERS that opens a stream carries a request.
        _stream = context.Streams.TryGet(streamId, out H2Stream? stream) ? stream : null;
        MessageKind kind = promisedStreamId != 0 ? MessageKind.PushedRequest : _stream?.InboundKind ?? MessageKind.Request;
        _fields ??= new List<HeaderField>(16);
        _sink.Begin(_fields, kind, joinCookies: context.Config.NormalizeInboundHeaders);
        _streamId = streamId;
        _promisedStreamId = promisedStreamId;
        _endStream = endStream;
        _priority = priority;
    }

    /// <summary>
    /// Decodes the next fragment at once and, when the block is complete, hands the message on.
    /// HPACK stays in step whatever becomes of the message: a refused block is still decoded to its end.
    /// </summary>
    public void Fragment(ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        if (fragment.IsEmpty && !endHeaders)
        {
            // CVE-2019-9518: empty fragments cost work and carry nothing.
            context.Defence.CountGlitch("an empty header block fragment");
        }

        string? listError = null;
        try
        {
            context.Decoder.DecodeFragment(fragment, endHeaders, ref _sink);
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

        bool extendedConnectAllowed = context.Settings.Local.Eventual(SettingCode.EnableConnectProtocol) == 1;
        var block = new ReceivedBlock(_sink.Finish(extendedConnectAllowed, out HeaderViolation violation, out MessageInfo info), violation, info, listError);
        _fields!.Clear();
        if (_fields.Capacity > 256)
        {
            // A large block must not pin its list for the connection's lifetime.
            _fields = null;
        }

        if (_promisedStreamId == 0)
        {
            // The application may have reset the stream while the block was coming; then its
            // object may already serve another stream.
            H2Stream? stream = _stream is { } known && known.Id == _streamId && known.State != StreamState.Closed ? known : null;
            _stream = null;
            messages.OnHeaders(_streamId, stream, block, _endStream, _priority);
        }
        else
        {
            messages.OnPushPromise(_streamId, _promisedStreamId, block);
        }
    }

    /// <summary>
    /// Answers a request whose header list exceeds our SETTINGS_MAX_HEADER_LIST_SIZE with 431
    /// (Request Header Fields Too Large, RFC 6585 §5) and ends the stream, as RFC 9113 §10.5.1
    /// suggests; the application never hears of it. If the request is still coming, RST_STREAM
    /// with NO_ERROR asks the client to stop sending it (RFC 9113 §8.1).
    /// </summary>
    public void RefuseOversizedRequest(H2Stream stream, bool requestEnded, string reason)
    {
        context.Defence.CountGlitch(reason);
        HeadersFrame.Write(context.Outbound, stream.Id, context.HeaderSender.Encode(s_requestHeaderFieldsTooLarge), context.Settings.Remote.MaxFrameSize, endStream: true);
        if (!requestEnded)
        {
            RstStreamFrame.Write(context.Outbound, stream.Id, ErrorCode.NoError);
            dispatcher.Errors.QueuedControlFrame(acknowledgement: false);
        }

        stream.MoveTo(StreamState.Closed, requestEnded ? StreamCloseReason.EndStream : StreamCloseReason.ResetSent);
        context.Log?.Debug($"answered 431 on stream {stream.Id}: {reason}");
    }
}
