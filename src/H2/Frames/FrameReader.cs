using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace H2.Frames;

/// <summary>
/// Turns a byte stream into frames, incrementally: feed chunks of any size (one octet at a time
/// works) and each complete frame is handed to an <see cref="IFrameHandler"/>.
/// </summary>
/// <remarks>
/// <para>
/// Frames that lie whole in the input are parsed in place, without copying; only a frame split
/// across calls is buffered. The reader checks the client connection preface when asked, the
/// frame size limit (SETTINGS_MAX_FRAME_SIZE) as soon as a header arrives, every per-type rule of
/// RFC 9113 §6, and the header block rules of §4.3: a HEADERS or PUSH_PROMISE frame without
/// END_HEADERS must be followed by CONTINUATION frames on the same stream and nothing else.
/// Header blocks are handed on fragment by fragment as their frames arrive, never joined (so a
/// block is never buffered, and HPACK can decode each fragment at once), within the bounds
/// <see cref="MaxContinuationFrames"/> and <see cref="MaxHeaderBlockSize"/>, each checked before
/// the fragment that crosses it is handed on. <see cref="FrameCollector"/> joins them for those
/// who want whole frames.
/// </para>
/// <para>
/// Connection errors are thrown as <see cref="ProtocolException"/> (or a subtype). After any
/// exception the reader is finished: later calls throw the same exception again.
/// </para>
/// </remarks>
public sealed class FrameReader
{
    /// <summary>The initial SETTINGS_MAX_FRAME_SIZE of RFC 9113 §6.5.2: 16,384.</summary>
    public const int DefaultMaxFrameSize = 16384;

    /// <summary>The largest SETTINGS_MAX_FRAME_SIZE RFC 9113 §6.5.2 allows: 2^24-1.</summary>
    public const int MaxAllowedFrameSize = FrameHeader.MaxLength;

    /// <summary>The default bound on CONTINUATION frames per header block: 8.</summary>
    public const int DefaultMaxContinuationFrames = 8;

    /// <summary>The default bound on the encoded size of one header block: 256 KiB.</summary>
    public const int DefaultMaxHeaderBlockSize = 256 * 1024;

    private int _maxFrameSize = DefaultMaxFrameSize;
    private int _maxContinuationFrames = DefaultMaxContinuationFrames;
    private int _maxHeaderBlockSize = DefaultMaxHeaderBlockSize;

    // How many octets of the client preface are still expected.
    private int _prefaceRemaining;

    // Whether the first frame must be a SETTINGS frame without ACK (RFC 9113 §3.4), and whether
    // a frame has been seen yet.
    private readonly bool _expectSettingsFirst;
    private bool _frameSeen;

    // A frame received in part, header first.
    private PooledBuffer _partial;

    // A header block awaiting CONTINUATION frames: its stream, and what it has used of the bounds.
    private bool _inHeaderBlock;
    private int _blockStreamId;
    private int _continuationCount;
    private int _blockLength;

    private ExceptionDispatchInfo? _failure;

    /// <summary>Creates a reader.</summary>
    /// <param name="expectClientPreface">
    /// Whether the input starts with the client connection preface (RFC 9113 §3.4), as it does for
    /// a server; it is checked and consumed before the first frame.
    /// </param>
    /// <param name="expectSettingsFirst">
    /// Whether the first frame must be a SETTINGS frame without ACK, as each side's connection
    /// preface requires (RFC 9113 §3.4); anything else is a PROTOCOL_ERROR.
    /// </param>
    public FrameReader(bool expectClientPreface = false, bool expectSettingsFirst = false)
    {
        _prefaceRemaining = expectClientPreface ? ClientPreface.Length : 0;
        _expectSettingsFirst = expectSettingsFirst;
    }

    /// <summary>The client connection preface: <c>PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n</c> (RFC 9113 §3.4).</summary>
    public static ReadOnlySpan<byte> ClientPreface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    /// <summary>
    /// The largest payload accepted: our SETTINGS_MAX_FRAME_SIZE once the peer has acknowledged it.
    /// A longer frame is a FRAME_SIZE_ERROR (RFC 9113 §4.2).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 16,384 to 2^24-1.</exception>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, DefaultMaxFrameSize);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxAllowedFrameSize);
            _maxFrameSize = value;
        }
    }

    /// <summary>
    /// The most CONTINUATION frames one header block may use; more is ENHANCE_YOUR_CALM
    /// (the CONTINUATION floods of 2024, CVE-2024-27316 and kin).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxContinuationFrames
    {
        get => _maxContinuationFrames;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxContinuationFrames = value;
        }
    }

    /// <summary>The largest encoded header block, all fragments together; more is ENHANCE_YOUR_CALM.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxHeaderBlockSize
    {
        get => _maxHeaderBlockSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxHeaderBlockSize = value;
        }
    }

    /// <summary>Whether a header block has begun and awaits CONTINUATION frames.</summary>
    internal bool IsInHeaderBlock => _inHeaderBlock;

    /// <summary>How many octets of an incomplete frame (or preface) are held, waiting for the rest.</summary>
    internal int BufferedLength => _partial.Length;

    /// <summary>Frames read whole and handed on (or refused) so far.</summary>
    internal long FramesRead { get; private set; }

    /// <summary>
    /// Consumes <paramref name="data"/>, calling <paramref name="handler"/> once for each frame
    /// completed by it, in order. A trailing partial frame is kept for the next call.
    /// </summary>
    /// <param name="data">The next bytes received, of any length.</param>
    /// <param name="handler">Receives the frames.</param>
    /// <exception cref="ProtocolException">A connection error; the frames before it were delivered.</exception>
    public void Read(ReadOnlySpan<byte> data, IFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _failure?.Throw();
        try
        {
            if (_prefaceRemaining > 0)
            {
                data = MatchPreface(data);
            }

            if (!_partial.IsEmpty)
            {
                data = CompletePartialFrame(data, handler);
            }

            while (data.Length >= FrameHeader.Size)
            {
                FrameHeader header = FrameHeader.Read(data);
                CheckHeader(header);
                int total = FrameHeader.Size + header.Length;
                if (data.Length < total)
                {
                    break;
                }

                Dispatch(header, data.Slice(FrameHeader.Size, header.Length), handler);
                data = data[total..];
            }

            if (!data.IsEmpty)
            {
                // Reserve room for the whole frame at once when part of its payload is already
                // here; a header alone may well be followed by its whole payload, read in place.
                _partial.Append(data, reserve: data.Length > FrameHeader.Size ? FrameHeader.Size + FrameHeader.Read(data).Length : FrameHeader.Size);
            }
        }
        catch (Exception e)
        {
            _failure = ExceptionDispatchInfo.Capture(e);
            _partial.Clear();
            throw;
        }
    }

    /// <summary>
    /// Consumes a possibly multi-segment buffer, as a <c>PipeReader</c> hands it out; the same as
    /// calling <see cref="Read(ReadOnlySpan{byte}, IFrameHandler)"/> for each segment in turn.
    /// </summary>
    /// <param name="data">The next bytes received.</param>
    /// <param name="handler">Receives the frames.</param>
    /// <exception cref="ProtocolException">A connection error; the frames before it were delivered.</exception>
    public void Read(in ReadOnlySequence<byte> data, IFrameHandler handler)
    {
        if (data.IsSingleSegment)
        {
            Read(data.FirstSpan, handler);
            return;
        }

        foreach (ReadOnlyMemory<byte> segment in data)
        {
            Read(segment.Span, handler);
        }
    }

    private ReadOnlySpan<byte> MatchPreface(ReadOnlySpan<byte> data)
    {
        int count = Math.Min(_prefaceRemaining, data.Length);
        ReadOnlySpan<byte> expected = ClientPreface.Slice(ClientPreface.Length - _prefaceRemaining, count);
        if (!data[..count].SequenceEqual(expected))
        {
            // RFC 9113 §3.4: anything else is a connection error PROTOCOL_ERROR.
            throw new ProtocolException(ErrorCode.ProtocolError, "Invalid HTTP/2 client connection preface.");
        }

        _prefaceRemaining -= count;
        return data[count..];
    }

    /// <summary>Adds input to the partial frame and delivers it once whole; returns the input left over.</summary>
    private ReadOnlySpan<byte> CompletePartialFrame(ReadOnlySpan<byte> data, IFrameHandler handler)
    {
        if (_partial.Length < FrameHeader.Size)
        {
            int headerPart = Math.Min(FrameHeader.Size - _partial.Length, data.Length);
            _partial.Append(data[..headerPart], reserve: FrameHeader.Size);
            data = data[headerPart..];
            if (_partial.Length < FrameHeader.Size)
            {
                return data;
            }
        }

        FrameHeader header = FrameHeader.Read(_partial.Span);
        CheckHeader(header);
        if (_partial.Length == FrameHeader.Size && data.Length >= header.Length)
        {
            // Only the header was held back (a sender that writes headers and payloads apart):
            // the payload is delivered where it lies, not copied.
            _partial.Clear();
            Dispatch(header, data[..header.Length], handler);
            return data[header.Length..];
        }

        int total = FrameHeader.Size + header.Length;
        int payloadPart = Math.Min(total - _partial.Length, data.Length);
        _partial.Append(data[..payloadPart], reserve: total);
        data = data[payloadPart..];
        if (_partial.Length < total)
        {
            return data;
        }

        byte[] frame = _partial.Detach();
        try
        {
            Dispatch(header, frame.AsSpan(FrameHeader.Size, header.Length), handler);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }

        return data;
    }

    /// <summary>Checks what the header alone decides, as soon as the nine octets are in.</summary>
    private void CheckHeader(in FrameHeader header)
    {
        if (header.Length > _maxFrameSize)
        {
            // RFC 9113 §4.2: treated as a connection error whatever the frame type.
            throw new FrameTooLargeException(header.Length, _maxFrameSize);
        }

        if (_expectSettingsFirst && !_frameSeen && (header.Type != FrameType.Settings || header.HasFlag(FrameFlags.Ack)))
        {
            // RFC 9113 §3.4: the preface ends with a SETTINGS frame, which must come first.
            throw new ProtocolException(ErrorCode.ProtocolError, $"The first frame must be SETTINGS, not {FrameTypeNames.Describe(header)}.");
        }

        if (_inHeaderBlock)
        {
            if (header.Type != FrameType.Continuation || header.StreamId != _blockStreamId)
            {
                // RFC 9113 §6.10: a header block must be continued without interruption.
                throw new ProtocolException(
                    ErrorCode.ProtocolError,
                    $"Expected CONTINUATION on stream {_blockStreamId}, got {FrameTypeNames.Describe(header)} on stream {header.StreamId}.");
            }
        }
        else if (header.Type == FrameType.Continuation)
        {
            // RFC 9113 §6.10: CONTINUATION only follows HEADERS, PUSH_PROMISE or CONTINUATION without END_HEADERS.
            throw new ProtocolException(ErrorCode.ProtocolError, $"CONTINUATION on stream {header.StreamId} outside a header block.");
        }
    }

    private void Dispatch(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        FramesRead++;
        _frameSeen = true;

        // Each type is parsed in a method of its own, so only its own locals are set up.
        switch (header.Type)
        {
            case FrameType.Data:
                DataFrame.Deliver(header, payload, handler);
                break;

            case FrameType.Headers:
                DeliverHeaders(header, payload, handler);
                break;

            case FrameType.Priority:
                PriorityFrame.Deliver(header, payload, handler);
                break;

            case FrameType.RstStream:
                RstStreamFrame.Deliver(header, payload, handler);
                break;

            case FrameType.Settings:
                SettingsFrame.Deliver(header, payload, handler);
                break;

            case FrameType.PushPromise:
                DeliverPushPromise(header, payload, handler);
                break;

            case FrameType.Ping:
                PingFrame.Deliver(header, payload, handler);
                break;

            case FrameType.GoAway:
                GoAwayFrame.Deliver(header, payload, handler);
                break;

            case FrameType.WindowUpdate:
                WindowUpdateFrame.Deliver(header, payload, handler);
                break;

            case FrameType.Continuation:
                // CheckHeader has matched it to the open header block, whose stream is never 0.
                ContinueHeaderBlock(header, payload, handler);
                break;

            case FrameType.AltSvc:
                AltSvcFrame.Deliver(header, payload, handler);
                break;

            case FrameType.Origin:
                OriginFrame.Deliver(header, payload, handler);
                break;

            case FrameType.PriorityUpdate:
                PriorityUpdateFrame.Deliver(header, payload, handler);
                break;

            default:
                // RFC 9113 §5.5: frames of unknown types are ignored; the handler may still look.
                handler.OnUnknownFrame(header, payload);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DeliverHeaders(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(HeadersFrame.Parse(header, payload, out ReadOnlySpan<byte> fragment, out StreamPriority? priority), header, payload, handler))
        {
            BeginHeaderBlock(header, fragment);
            handler.OnHeadersFragment(header.StreamId, fragment, header.HasFlag(FrameFlags.EndHeaders), header.HasFlag(FrameFlags.EndStream), priority);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DeliverPushPromise(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(PushPromiseFrame.Parse(header, payload, out ReadOnlySpan<byte> promise, out int promisedStreamId), header, payload, handler))
        {
            BeginHeaderBlock(header, promise);
            handler.OnPushPromiseFragment(header.StreamId, promisedStreamId, promise, header.HasFlag(FrameFlags.EndHeaders));
        }
    }

    /// <summary>Starts a header block, handed on fragment by fragment: only its size is kept, against the bounds.</summary>
    private void BeginHeaderBlock(in FrameHeader header, ReadOnlySpan<byte> fragment)
    {
        CheckBlockSize(fragment.Length);
        _blockLength = fragment.Length;
        _continuationCount = 0;
        _blockStreamId = header.StreamId;
        _inHeaderBlock = !header.HasFlag(FrameFlags.EndHeaders);
    }

    private void ContinueHeaderBlock(in FrameHeader header, ReadOnlySpan<byte> fragment, IFrameHandler handler)
    {
        if (++_continuationCount > _maxContinuationFrames)
        {
            throw new DenialOfServiceException(
                $"Header block on stream {_blockStreamId} uses more than {_maxContinuationFrames} CONTINUATION frames.");
        }

        CheckBlockSize(_blockLength + fragment.Length);
        _blockLength += fragment.Length;
        _inHeaderBlock = !header.HasFlag(FrameFlags.EndHeaders);
        handler.OnContinuation(_blockStreamId, fragment, header.HasFlag(FrameFlags.EndHeaders));
    }

    private void CheckBlockSize(int size)
    {
        if (size > _maxHeaderBlockSize)
        {
            throw new DenialOfServiceException($"Header block exceeds {_maxHeaderBlockSize} octets.");
        }
    }
}
