using System.Buffers;
using H2.Connection;
using H2.Events;
using H2.Frames;

namespace H2;

/// <summary>
/// One HTTP/2 connection, sans I/O: the object of Python h2's <c>H2Connection</c> in .NET shape.
/// Call methods such as <see cref="SendHeaders"/> and <see cref="SendData(int, ReadOnlySpan{byte}, bool, int)"/>
/// and take the encoded bytes with <see cref="DataToSend()"/>; hand received bytes to
/// <see cref="ReceiveData(ReadOnlySpan{byte})"/> and get back the <see cref="Event"/>s they carried.
/// The connection never touches a socket or a thread, and is not thread-safe: use it from one
/// place at a time. Its one clock is <see cref="H2Configuration.TimeProvider"/>, which the flood
/// defences' rate limits read.
/// </summary>
/// <remarks>
/// <para>
/// Local misuse — sending on a closed stream, more data than the window allows, header fields
/// that fail validation — throws before anything is queued and leaves the connection usable.
/// Peer misbehaviour that is a stream error (RFC 9113 §5.4.2) resets that stream and is reported
/// as a <see cref="StreamReset"/> event when the application knows the stream; a connection error
/// queues GOAWAY and throws a <see cref="ProtocolException"/> carrying the events decoded before it.
/// </para>
/// <para>
/// This class checks arguments and queues frames; the rules live beside it in
/// <c>H2.Connection</c>: each stream's in <c>H2Stream</c>, the streams together in
/// <c>StreamTable</c>, flow control in <c>FlowControl</c>, settings in <c>SettingsExchange</c>,
/// the connection's life cycle in <c>ConnectionState</c>, and the receiving side in
/// <c>FrameDispatcher</c>.
/// </para>
/// </remarks>
public sealed partial class H2Connection
{
    private readonly H2Configuration _config;
    private readonly ConnectionContext _context;
    private readonly FrameDispatcher _receiver;

    /// <summary>Creates a connection.</summary>
    /// <param name="config">Role, checks, settings and limits; the defaults describe a server.</param>
    public H2Connection(H2Configuration? config = null)
    {
        _config = config ?? new H2Configuration();
        ValidateConfiguration(_config);
        _context = new ConnectionContext(_config);
        _receiver = new FrameDispatcher(_context);
    }

    /// <summary>The configuration this connection was created with.</summary>
    public H2Configuration Configuration => _config;

    /// <summary>Our settings: the values in force (acknowledged by the peer), and those still pending.</summary>
    public Settings LocalSettings => _context.Settings.Local;

    /// <summary>The peer's settings, in force as soon as received.</summary>
    public Settings RemoteSettings => _context.Settings.Remote;

    /// <summary>The largest frame payload we may send: the peer's SETTINGS_MAX_FRAME_SIZE.</summary>
    public int MaxOutboundFrameSize => RemoteSettings.MaxFrameSize;

    /// <summary>The largest frame payload we accept: our acknowledged SETTINGS_MAX_FRAME_SIZE.</summary>
    public int MaxInboundFrameSize => _context.Reader.MaxFrameSize;

    /// <summary>How many streams we opened that are open or half-closed.</summary>
    public int OpenOutboundStreams => Streams.ActiveOutbound;

    /// <summary>How many streams the peer opened that are open or half-closed.</summary>
    public int OpenInboundStreams => Streams.ActiveInbound;

    /// <summary>The highest stream identifier the peer has used (opened or promised), or 0.</summary>
    public int HighestInboundStreamId => Streams.HighestInbound;

    /// <summary>The highest stream identifier we have used (opened or promised), or 0.</summary>
    public int HighestOutboundStreamId => Streams.HighestOutbound;

    /// <summary>
    /// Streams the peer reset while our response was unfinished, which still count against our
    /// SETTINGS_MAX_CONCURRENT_STREAMS until <see cref="CompleteStreamWork"/> is called for them.
    /// </summary>
    public int HeldResetStreams => _context.Defence.HeldStreams;

    /// <summary>
    /// Whether a header block has begun and awaits its CONTINUATION frames. An I/O layer can bound
    /// how long that may last (slow header blocks are a denial-of-service pattern).
    /// </summary>
    public bool IsReceivingHeaderBlock => _context.Reader.IsInHeaderBlock;

    /// <summary>
    /// Whether part of a frame has arrived and the rest has not. An I/O layer can bound how long a
    /// frame may take once begun: a peer that sends a frame header, then an octet now and then,
    /// holds the connection without ever finishing a frame. With <see cref="FramesReceived"/> it
    /// can tell one slow frame from many quick ones.
    /// </summary>
    public bool IsReceivingFrame => _context.Reader.BufferedLength > 0;

    /// <summary>
    /// Whether the connection is finished: a connection error occurred, or we sent GOAWAY with an
    /// error code. Nothing more can be sent, and received bytes are ignored.
    /// </summary>
    public bool IsClosed => State.IsClosed;

    /// <summary>
    /// Starts the connection: queues the client preface (clients) and our SETTINGS frame with
    /// the values of the configuration (RFC 9113 §3.4). Call it once, before anything else.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection was already initiated.</exception>
    public void InitiateConnection()
    {
        State.Initiate();
        if (_config.ClientSide)
        {
            Outbound.Write(FrameReader.ClientPreface);
        }

        Setting[] settings = _context.Settings.Initial();
        SettingsFrame.Write(Outbound, settings);
        _context.Settings.Sent(settings);
        _context.Log?.Trace($"sent SETTINGS ({SettingsFrame.Describe(settings)})");
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
        if (State.Initiated)
        {
            throw new InvalidOperationException("The connection has already been initiated.");
        }

        string? header = null;
        H2Stream stream;
        if (_config.ClientSide)
        {
            // RFC 7540 §3.2.1: the 101 response acknowledges these settings, so the server may use
            // them from its first frame; they are in force here at once.
            Setting[] settings = _context.Settings.Initial();
            _context.ApplyLocal(_context.Settings.ApplyLocalNow(settings));
            header = SettingsExchange.EncodeHeader(settings);
            stream = _context.TakeStream(1, isLocal: true);
            stream.OutboundPhase = HeaderPhase.Final;
        }
        else
        {
            ArgumentNullException.ThrowIfNull(settingsHeader);
            _context.ApplyRemote(SettingsExchange.DecodeHeader(settingsHeader));
            stream = _context.TakeStream(1, isLocal: false);
            stream.InboundPhase = HeaderPhase.Final;
            stream.IsHeadRequest = requestMethod == "HEAD";
            Streams.NoteInbound(1);
        }

        stream.Announced = true;
        Streams.Add(stream, StreamStateMachine.Transition(StreamState.Idle, _config.ClientSide ? StreamInput.UpgradeClient : StreamInput.UpgradeServer).Next);
        InitiateConnection();
        return header;
    }

    /// <summary>Takes every queued byte, to be written to the peer.</summary>
    /// <returns>The bytes, possibly empty.</returns>
    public byte[] DataToSend() => Outbound.Take(long.MaxValue);

    /// <summary>Takes at most <paramref name="amount"/> queued bytes; the rest stay queued.</summary>
    /// <param name="amount">The most bytes to take.</param>
    /// <returns>The bytes, possibly empty.</returns>
    public byte[] DataToSend(int amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return Outbound.Take(amount);
    }

    /// <summary>Moves every queued byte into <paramref name="destination"/> (a <c>PipeWriter</c>, say) without an intermediate array.</summary>
    /// <param name="destination">Receives the bytes.</param>
    /// <returns>How many bytes were written.</returns>
    public long DataToSend(IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long total = 0;
        for (ReadOnlyMemory<byte> chunk = Outbound.Peek(); !chunk.IsEmpty; chunk = Outbound.Peek())
        {
            destination.Write(chunk.Span);
            Outbound.Consume(chunk.Length);
            total += chunk.Length;
        }

        return total;
    }

    /// <summary>The number of bytes queued for the peer.</summary>
    public long OutboundDataLength => Outbound.Length;

    /// <summary>Frames received whole so far, for metrics (the preface not counted).</summary>
    public long FramesReceived => _context.Reader.FramesRead;

    /// <summary>Frames queued for sending so far, for metrics (whether or not taken by <see cref="DataToSend()"/> yet).</summary>
    public long FramesSent => Outbound.FramesWritten;

    /// <summary>
    /// The first run of queued bytes, without copying, for writing straight to a socket; call
    /// <see cref="AdvanceDataToSend"/> with how many were written. Empty when nothing is queued.
    /// </summary>
    /// <returns>A view that stays valid until the next call that queues or takes data.</returns>
    public ReadOnlyMemory<byte> PeekDataToSend() => Outbound.Peek();

    /// <summary>Drops <paramref name="count"/> bytes from the front of the queue, after writing them.</summary>
    /// <param name="count">How many bytes were written.</param>
    public void AdvanceDataToSend(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Outbound.Consume(count);
    }

    /// <summary>Drops everything queued for the peer.</summary>
    public void ClearOutboundDataBuffer() => Outbound.Clear();

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
    public IReadOnlyList<Event> ReceiveData(ReadOnlySpan<byte> data) => _receiver.Receive(data, lent: default);

    /// <summary>
    /// Like <see cref="ReceiveData(ReadOnlySpan{byte})"/>, without copying body data: the
    /// <see cref="DataReceived.Data"/> of each DATA frame that lies whole in <paramref name="data"/>
    /// is a slice of it. Keep those bytes unchanged for as long as the events' data is in use
    /// (a frame split across calls is still delivered as a copy).
    /// </summary>
    /// <param name="data">The bytes received; lent to the events, not copied.</param>
    /// <returns>The events, possibly none. After the connection has closed, input is ignored.</returns>
    /// <exception cref="ProtocolException">As for <see cref="ReceiveData(ReadOnlySpan{byte})"/>.</exception>
    public IReadOnlyList<Event> ReceiveDataInPlace(ReadOnlyMemory<byte> data) => _receiver.Receive(data.Span, lent: data);

    /// <summary>
    /// Like <see cref="ReceiveData(ReadOnlySpan{byte})"/>, but hands each event to
    /// <paramref name="sink"/> as it is produced, with the object attached to its stream, instead
    /// of returning a list. See <see cref="IEventSink"/> for what the sink may do meanwhile.
    /// </summary>
    /// <param name="data">The bytes received.</param>
    /// <param name="sink">Takes the events, in order.</param>
    /// <exception cref="ProtocolException">
    /// A connection error, as for <see cref="ReceiveData(ReadOnlySpan{byte})"/>; the events before
    /// it have already reached the sink, so <see cref="ProtocolException.Events"/> is empty.
    /// </exception>
    public void ReceiveData(ReadOnlySpan<byte> data, IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _receiver.Receive(data, lent: default, sink);
    }

    /// <summary>
    /// The sink form of <see cref="ReceiveDataInPlace(ReadOnlyMemory{byte})"/>: DATA lying whole in
    /// <paramref name="data"/> is lent to the events as slices of it.
    /// </summary>
    /// <param name="data">The bytes received; lent to the events, not copied.</param>
    /// <param name="sink">Takes the events, in order.</param>
    /// <exception cref="ProtocolException">As for <see cref="ReceiveData(ReadOnlySpan{byte}, IEventSink)"/>.</exception>
    public void ReceiveDataInPlace(ReadOnlyMemory<byte> data, IEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _receiver.Receive(data.Span, lent: data, sink);
    }

    private StreamTable Streams => _context.Streams;

    private ConnectionState State => _context.State;

    private OutboundQueue Outbound => _context.Outbound;

    private void ThrowIfClosed()
    {
        if (_context.Delivering)
        {
            throw new InvalidOperationException("This call changes streams, so an event sink may not make it while the connection reads; make it once the receive call has returned.");
        }

        ThrowIfClosedForCredit();
    }

    /// <summary>As <see cref="ThrowIfClosed"/>, for calls an event sink may make (flow-control credit).</summary>
    private void ThrowIfClosedForCredit()
    {
        if (State.IsClosed)
        {
            throw new ProtocolException(ErrorCode.ProtocolError, "The connection is closed.");
        }
    }
}
