using System.Buffers;
using H2.Connection;
using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2;

/// <summary>
/// One HTTP/2 connection, sans I/O: the object of Python h2's <c>H2Connection</c> in .NET shape.
/// Call methods such as <see cref="SendHeaders"/> and <see cref="SendData(int, ReadOnlySpan{byte}, bool, int)"/>
/// and take the encoded bytes with <see cref="DataToSend()"/>; hand received bytes to
/// <see cref="ReceiveData(ReadOnlySpan{byte})"/> and get back the <see cref="Event"/>s they carried.
/// The connection never touches a socket, a thread or a clock, and is not thread-safe: use it from
/// one place at a time.
/// </summary>
/// <remarks>
/// <para>
/// Local misuse — sending on a closed stream, more data than the window allows, header fields
/// that fail validation — throws before anything is queued and leaves the connection usable.
/// Peer misbehaviour that is a stream error (RFC 9113 §5.4.2) resets that stream and is reported
/// as a <see cref="StreamReset"/> event; a connection error queues GOAWAY and throws a
/// <see cref="ProtocolException"/> carrying the events decoded before it.
/// </para>
/// </remarks>
public sealed partial class H2Connection
{
    private const int InitialConnectionWindow = 65535;

    private readonly H2Configuration _config;
    private readonly IH2Logger? _log;
    private readonly FrameReader _reader;
    private readonly HpackEncoder _encoder = new();
    private readonly HpackDecoder _decoder = new();
    private readonly OutboundQueue _outbound = new();
    private readonly ArrayBufferWriter<byte> _headerBlock = new(256);
    private readonly Dictionary<int, H2Stream> _streams = [];

    // Closed streams' objects kept for reuse; a few cover a busy connection's turnover.
    private const int MaxSpareStreams = 16;
    private readonly Stack<H2Stream> _spareStreams = new();
    private readonly ClosedStreams _closedStreams;
    private readonly ReceiveHandler _receiver;
    private readonly FloodDefence _defence;

    private long _outboundConnectionWindow = InitialConnectionWindow;
    private InboundWindow _inboundConnectionWindow = new(InitialConnectionWindow);
    private int _highestInboundStreamId;
    private int _highestOutboundStreamId;
    private int _activeInbound;
    private int _activeOutbound;
    private int _reservedInbound;
    private bool _initiated;
    private int? _goAwaySentLastStreamId;
    private int? _goAwayReceivedLastStreamId;
    private bool _closed;

    /// <summary>Creates a connection.</summary>
    /// <param name="config">Role, checks, settings and limits; the defaults describe a server.</param>
    public H2Connection(H2Configuration? config = null)
    {
        _config = config ?? new H2Configuration();
        ValidateConfiguration(_config);
        _log = _config.Logger;
        _closedStreams = new ClosedStreams(_config.MaxClosedStreams);
        _reader = new FrameReader(expectClientPreface: !_config.ClientSide, expectSettingsFirst: true)
        {
            MaxContinuationFrames = _config.MaxContinuationFrames,
            MaxHeaderBlockSize = _config.MaxHeaderBlockSize,
        };

        // Our header list limit protects us from the start, before the peer has seen it.
        _decoder.MaxHeaderListSize = _config.MaxHeaderListSize;
        _decoder.HeaderListHardLimit = _config.HeaderListHardLimit;
        _defence = new FloodDefence(_config);
        _encoder.HeaderTableSize = Math.Min(HpackEncoder.DefaultHeaderTableSize, _config.MaxEncoderTableSize);
        _receiver = new ReceiveHandler(this);
    }

    /// <summary>The configuration this connection was created with.</summary>
    public H2Configuration Configuration => _config;

    /// <summary>Our settings: the values in force (acknowledged by the peer), and those still pending.</summary>
    public Settings LocalSettings { get; } = new();

    /// <summary>The peer's settings, in force as soon as received.</summary>
    public Settings RemoteSettings { get; } = new();

    /// <summary>The largest frame payload we may send: the peer's SETTINGS_MAX_FRAME_SIZE.</summary>
    public int MaxOutboundFrameSize => RemoteSettings.MaxFrameSize;

    /// <summary>The largest frame payload we accept: our acknowledged SETTINGS_MAX_FRAME_SIZE.</summary>
    public int MaxInboundFrameSize => _reader.MaxFrameSize;

    /// <summary>How many streams we opened that are open or half-closed.</summary>
    public int OpenOutboundStreams => _activeOutbound;

    /// <summary>How many streams the peer opened that are open or half-closed.</summary>
    public int OpenInboundStreams => _activeInbound;

    /// <summary>The highest stream identifier the peer has used (opened or promised), or 0.</summary>
    public int HighestInboundStreamId => _highestInboundStreamId;

    /// <summary>The highest stream identifier we have used (opened or promised), or 0.</summary>
    public int HighestOutboundStreamId => _highestOutboundStreamId;

    /// <summary>
    /// Streams the peer reset while our response was unfinished, which still count against our
    /// SETTINGS_MAX_CONCURRENT_STREAMS until <see cref="CompleteStreamWork"/> is called for them.
    /// </summary>
    public int HeldResetStreams => _defence.HeldStreams;

    /// <summary>
    /// Whether a header block has begun and awaits its CONTINUATION frames. An I/O layer can bound
    /// how long that may last (slow header blocks are a denial-of-service pattern).
    /// </summary>
    public bool IsReceivingHeaderBlock => _reader.IsInHeaderBlock;

    /// <summary>
    /// Whether part of a frame has arrived and the rest has not. An I/O layer can bound how long a
    /// frame may take once begun: a peer that sends a frame header, then an octet now and then,
    /// holds the connection without ever finishing a frame. With <see cref="FramesReceived"/> it
    /// can tell one slow frame from many quick ones.
    /// </summary>
    public bool IsReceivingFrame => _reader.BufferedLength > 0;

    /// <summary>
    /// Whether the connection is finished: a connection error occurred, or we sent GOAWAY with an
    /// error code. Nothing more can be sent, and received bytes are ignored.
    /// </summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// Starts the connection: queues the client preface (clients) and our SETTINGS frame with
    /// the values of the configuration (RFC 9113 §3.4). Call it once, before anything else.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection was already initiated.</exception>
    public void InitiateConnection()
    {
        if (_initiated)
        {
            throw new InvalidOperationException("The connection has already been initiated.");
        }

        _initiated = true;
        if (_config.ClientSide)
        {
            _outbound.Write(FrameReader.ClientPreface);
        }

        Setting[] settings = InitialSettings();
        SettingsFrame.Write(_outbound, settings);
        LocalSettings.AddPending(settings);
        Trace("sent SETTINGS (preface)");
    }

    /// <summary>
    /// Starts a connection reached by HTTP/1.1 <c>Upgrade: h2c</c> (RFC 7540 §3.2): stream 1 is the
    /// upgraded request, half-closed on the side that sent it; then, as
    /// <see cref="InitiateConnection"/>, the preface is queued.
    /// </summary>
    /// <param name="settingsHeader">
    /// Servers: the <c>HTTP2-Settings</c> header the client sent, applied as the client's settings
    /// (the 101 response acknowledges them). Clients: leave <see langword="null"/>.
    /// </param>
    /// <param name="requestMethod">
    /// Servers: the method of the upgraded HTTP/1.1 request, so that the response to a HEAD request
    /// is checked as one with no content. Clients: ignored.
    /// </param>
    /// <returns>Clients: the value to send in the <c>HTTP2-Settings</c> header. Servers: <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">A server got no header, or one that is not base64url SETTINGS.</exception>
    /// <exception cref="InvalidSettingsValueException">The header carries a value the RFC forbids.</exception>
    /// <exception cref="InvalidOperationException">The connection was already initiated.</exception>
    public string? InitiateUpgradeConnection(string? settingsHeader = null, string? requestMethod = null)
    {
        if (_initiated)
        {
            throw new InvalidOperationException("The connection has already been initiated.");
        }

        string? header = null;
        if (_config.ClientSide)
        {
            var writer = new ArrayBufferWriter<byte>();
            Setting[] settings = InitialSettings();
            SettingsFrame.Write(writer, settings);

            // RFC 7540 §3.2.1: the 101 response acknowledges these settings, so the server may use
            // them from its first frame; they are in force here at once.
            ApplyLocalSettings(LocalSettings.Apply(settings));
            header = Convert.ToBase64String(writer.WrittenSpan[FrameHeader.Size..]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            H2Stream stream = TakeStream(1, isLocal: true);
            stream.Announced = true;
            stream.OutboundPhase = HeaderPhase.Final;
            AddStream(stream, StreamInput.UpgradeClient);
            _highestOutboundStreamId = 1;
        }
        else
        {
            ArgumentNullException.ThrowIfNull(settingsHeader);
            ApplyRemoteSettings(DecodeSettingsHeader(settingsHeader));
            H2Stream stream = TakeStream(1, isLocal: false);
            stream.Announced = true;
            stream.InboundPhase = HeaderPhase.Final;
            stream.IsHeadRequest = requestMethod == "HEAD";
            AddStream(stream, StreamInput.UpgradeServer);
            _highestInboundStreamId = 1;
        }

        InitiateConnection();
        return header;
    }

    /// <summary>Takes every queued byte, to be written to the peer.</summary>
    /// <returns>The bytes, possibly empty.</returns>
    public byte[] DataToSend() => _outbound.Take(long.MaxValue);

    /// <summary>Takes at most <paramref name="amount"/> queued bytes; the rest stay queued.</summary>
    /// <param name="amount">The most bytes to take.</param>
    /// <returns>The bytes, possibly empty.</returns>
    public byte[] DataToSend(int amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return _outbound.Take(amount);
    }

    /// <summary>Moves every queued byte into <paramref name="destination"/> (a <c>PipeWriter</c>, say) without an intermediate array.</summary>
    /// <param name="destination">Receives the bytes.</param>
    /// <returns>How many bytes were written.</returns>
    public long DataToSend(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long total = 0;
        for (ReadOnlyMemory<byte> chunk = _outbound.Peek(); !chunk.IsEmpty; chunk = _outbound.Peek())
        {
            destination.Write(chunk.Span);
            _outbound.Consume(chunk.Length);
            total += chunk.Length;
        }

        return total;
    }

    /// <summary>The number of bytes queued for the peer.</summary>
    public long OutboundDataLength => _outbound.Length;

    /// <summary>Frames received whole so far, for metrics (the preface not counted).</summary>
    public long FramesReceived => _reader.FramesRead;

    /// <summary>Frames queued for sending so far, for metrics (whether or not taken by <see cref="DataToSend()"/> yet).</summary>
    public long FramesSent => _outbound.FramesWritten;

    /// <summary>
    /// The first run of queued bytes, without copying, for writing straight to a socket; call
    /// <see cref="AdvanceDataToSend"/> with how many were written. Empty when nothing is queued.
    /// </summary>
    /// <returns>A view that stays valid until the next call that queues or takes data.</returns>
    public ReadOnlyMemory<byte> PeekDataToSend() => _outbound.Peek();

    /// <summary>Drops <paramref name="count"/> bytes from the front of the queue, after writing them.</summary>
    /// <param name="count">How many bytes were written.</param>
    public void AdvanceDataToSend(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _outbound.Consume(count);
    }

    /// <summary>Drops everything queued for the peer.</summary>
    public void ClearOutboundDataBuffer() => _outbound.Clear();

    /// <summary>The next stream identifier this side may open.</summary>
    /// <returns>An odd identifier for clients, an even one for servers (for pushed streams).</returns>
    /// <exception cref="NoAvailableStreamIdException">Every identifier has been used.</exception>
    public int GetNextAvailableStreamId()
    {
        long next = _highestOutboundStreamId == 0 ? (_config.ClientSide ? 1 : 2) : _highestOutboundStreamId + 2L;
        if (next > int.MaxValue)
        {
            throw new NoAvailableStreamIdException("Every stream identifier of this side has been used.");
        }

        return (int)next;
    }

    /// <summary>How much DATA we may send on a stream now: the smaller of its window and the connection's.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The octets, padding included, that may be sent.</returns>
    /// <exception cref="StreamClosedException">The stream is closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public int LocalFlowControlWindow(int streamId)
    {
        H2Stream stream = RequireStream(streamId);
        return (int)Math.Max(0, Math.Min(stream.OutboundWindow, _outboundConnectionWindow));
    }

    /// <summary>How much DATA the peer may send on a stream now: the smaller of its window and the connection's.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The octets the peer may send.</returns>
    /// <exception cref="StreamClosedException">The stream is closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public int RemoteFlowControlWindow(int streamId)
    {
        H2Stream stream = RequireStream(streamId);
        return Math.Max(0, Math.Min(stream.Inbound.Available, _inboundConnectionWindow.Available));
    }

    private Setting[] InitialSettings()
    {
        var settings = new List<Setting>
        {
            new(SettingCode.MaxConcurrentStreams, (uint)_config.MaxConcurrentStreams),
            new(SettingCode.InitialWindowSize, (uint)_config.InitialWindowSize),
            new(SettingCode.MaxHeaderListSize, (uint)_config.MaxHeaderListSize),
        };
        if (_config.HeaderTableSize != HpackDecoder.DefaultHeaderTableSize)
        {
            settings.Add(new(SettingCode.HeaderTableSize, (uint)_config.HeaderTableSize));
        }

        if (_config.MaxFrameSize != FrameReader.DefaultMaxFrameSize)
        {
            settings.Add(new(SettingCode.MaxFrameSize, (uint)_config.MaxFrameSize));
        }

        // Clients say whether they take pushes (the RFC's default is yes); a server never accepts
        // pushes, and RFC 9113 §6.5.2 forbids it to announce ENABLE_PUSH = 1.
        if (_config.ClientSide)
        {
            settings.Add(new(SettingCode.EnablePush, _config.EnablePush ? 1u : 0u));
        }

        if (_config.EnableConnectProtocol && !_config.ClientSide)
        {
            settings.Add(new(SettingCode.EnableConnectProtocol, 1));
        }

        if (_config.NoRfc7540Priorities)
        {
            settings.Add(new(SettingCode.NoRfc7540Priorities, 1));
        }

        return [.. settings];
    }

    private static void ValidateConfiguration(H2Configuration config)
    {
        if (config.HeaderTableSize < 0 || config.MaxConcurrentStreams < 0 || config.InitialWindowSize < 0 || config.MaxHeaderListSize < 0)
        {
            throw new ArgumentException("Settings in the configuration must not be negative.", nameof(config));
        }

        if (config.MaxFrameSize is < FrameReader.DefaultMaxFrameSize or > FrameReader.MaxAllowedFrameSize)
        {
            throw new ArgumentException("MaxFrameSize must be 16,384 to 2^24-1 (RFC 9113 §6.5.2).", nameof(config));
        }

        if (config.MaxClosedStreams < 0 || config.MaxContinuationFrames < 0 || config.MaxHeaderBlockSize < 0 || config.MaxEncoderTableSize < 0
            || config.HeaderListHardLimit < 0 || config.MaxPendingAcknowledgements < 0 || config.MaxPendingControlFrames < 0 || config.MaxSettingsPerFrame < 0)
        {
            throw new ArgumentException("Limits in the configuration must not be negative.", nameof(config));
        }

        ArgumentNullException.ThrowIfNull(config.TimeProvider, nameof(config));
        foreach (RateLimit? limit in (ReadOnlySpan<RateLimit?>)[config.InboundResetRateLimit, config.GlitchRateLimit])
        {
            if (limit is { } given && (given.Burst < 1 || !(given.PerSecond >= 0) || double.IsInfinity(given.PerSecond)))
            {
                throw new ArgumentException("A rate limit needs a burst of at least 1 and a finite rate of 0 or more.", nameof(config));
            }
        }
    }

    private static Setting[] DecodeSettingsHeader(string header)
    {
        string base64 = header.Trim().Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The HTTP2-Settings header is not base64url.", nameof(header), e);
        }

        if (payload.Length % Setting.Size != 0)
        {
            throw new ArgumentException("The HTTP2-Settings header does not hold whole settings.", nameof(header));
        }

        var settings = new Setting[payload.Length / Setting.Size];
        for (int i = 0; i < settings.Length; i++)
        {
            ReadOnlySpan<byte> entry = payload.AsSpan(i * Setting.Size, Setting.Size);
            settings[i] = new Setting((SettingCode)((entry[0] << 8) | entry[1]), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }

        return settings;
    }

    /// <summary>The stream, which must exist: otherwise the right exception for a closed or unknown one.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="releaseHeld">Whether the caller is sending, which ends the application's work on a held stream.</param>
    private H2Stream RequireStream(int streamId, bool releaseHeld = false)
    {
        if (_streams.TryGetValue(streamId, out H2Stream? stream))
        {
            return stream;
        }

        if (releaseHeld)
        {
            _defence.Release(streamId);
        }

        if (streamId > 0 && (IsLocalStreamId(streamId) ? streamId <= _highestOutboundStreamId : streamId <= _highestInboundStreamId))
        {
            throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
        }

        throw new NoSuchStreamException($"Stream {streamId} has not been opened.", streamId);
    }

    /// <summary>
    /// The last stream a GOAWAY of ours names: the highest the peer opened, but never above one
    /// we already announced (RFC 9113 §6.8: it must not grow), since later streams were refused.
    /// </summary>
    private int LastProcessedStreamId => Math.Min(_highestInboundStreamId, _goAwaySentLastStreamId ?? int.MaxValue);

    private bool IsLocalStreamId(int streamId) => (streamId & 1) == (_config.ClientSide ? 1 : 0);

    /// <summary>Whether a stream the table does not hold is idle (never used) rather than closed.</summary>
    private bool IsIdle(int streamId) =>
        IsLocalStreamId(streamId) ? streamId > _highestOutboundStreamId : streamId > _highestInboundStreamId;

    private void AddStream(H2Stream stream, StreamInput input)
    {
        _streams.Add(stream.Id, stream);
        SetState(stream, StreamStateMachine.Transition(StreamState.Idle, input).Next);
    }

    /// <summary>Moves a stream to a new state, keeping the active-stream counts and the closed-stream memory.</summary>
    private void SetState(H2Stream stream, StreamState next, StreamCloseReason reason = StreamCloseReason.EndStream)
    {
        bool wasActive = stream.CountsAsActive;
        bool wasReserved = stream.State == StreamState.ReservedRemote;
        stream.State = next;
        int change = (stream.CountsAsActive ? 1 : 0) - (wasActive ? 1 : 0);
        if (stream.IsLocal)
        {
            _activeOutbound += change;
        }
        else
        {
            _activeInbound += change;
            _reservedInbound += (next == StreamState.ReservedRemote ? 1 : 0) - (wasReserved ? 1 : 0);
        }

        if (next == StreamState.Closed)
        {
            _streams.Remove(stream.Id);
            _closedStreams.Remember(stream.Id, reason);
            if (_spareStreams.Count < MaxSpareStreams)
            {
                // Nothing refers to a closed stream's object once it leaves the table; the next stream reuses it.
                _spareStreams.Push(stream);
            }
        }
    }

    /// <summary>A stream object for a new stream: a spare one made new, or a new one.</summary>
    private H2Stream TakeStream(int streamId, bool isLocal)
    {
        int outboundWindow = RemoteSettings.InitialWindowSize;
        int inboundWindow = LocalSettings.InitialWindowSize;
        if (_spareStreams.TryPop(out H2Stream? stream))
        {
            stream.Reset(streamId, isLocal, outboundWindow, inboundWindow);
            return stream;
        }

        return new H2Stream(streamId, isLocal, outboundWindow, inboundWindow);
    }

    private void Trace(string message)
    {
        if (_log is not null && _log.IsEnabled(H2LogLevel.Trace))
        {
            _log.Log(H2LogLevel.Trace, message);
        }
    }

    private void Debug(string message)
    {
        if (_log is not null && _log.IsEnabled(H2LogLevel.Debug))
        {
            _log.Log(H2LogLevel.Debug, message);
        }
    }
}
