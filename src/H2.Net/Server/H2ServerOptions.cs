using H2.Net.Transport;
using Microsoft.Extensions.Logging;

namespace H2.Net.Server;

/// <summary>How an <see cref="H2Server"/> runs its connections.</summary>
public sealed class H2ServerOptions
{
    /// <summary>
    /// Makes the configuration of each connection; <see cref="H2Configuration.ClientSide"/> must be false.
    /// By default: up to 100 concurrent streams, 1 MiB stream windows.
    /// </summary>
    public Func<H2Configuration> ConnectionConfiguration { get; init; } = static () => new H2Configuration
    {
        ClientSide = false,
        MaxConcurrentStreams = 100,
        InitialWindowSize = 1 << 20,
    };

    /// <summary>
    /// The most the connection-level receive window grows to. It starts at 65,535 octets and
    /// doubles each time the handlers have read as much as it holds, so only request body that is
    /// being read earns more window: a client whose uploads nobody reads can make a connection
    /// buffer no more than the window that reading earned. This bounds the request body one
    /// connection may buffer. Default 4 MiB.
    /// </summary>
    public int ConnectionWindowSize { get; init; } = 4 << 20;

    /// <summary>
    /// The receive window all connections together may be granted beyond their first 65,535
    /// octets each, so the request body the whole server may be made to buffer is at most this
    /// plus 64 KiB per connection. A connection that finds the budget spent keeps the window it
    /// has. Default 64 MiB.
    /// </summary>
    public long MaxBufferedRequestBodyBytes { get; init; } = 64 << 20;

    /// <summary>
    /// A connection with no open stream for this long is closed with GOAWAY: PINGs, SETTINGS and
    /// other frames that open no stream do not keep it alive. Default 2 minutes.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a frame may take to arrive once its first octet has: a peer that announces a frame
    /// and then sends it an octet at a time ties up a connection (each octet would otherwise count
    /// as activity). A 16 KiB frame needs 1.6 KB/s at the default. Default 10 seconds.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most connections accepted from the listening sockets at once, those still in their
    /// handshake included; beyond it new connections wait in the listen backlog until one closes.
    /// By default a little below the process's limit on open file descriptors (on Linux read from
    /// /proc/self/limits; 10,000 where it cannot be read), so a flood of connections cannot make
    /// accepting fail for lack of descriptors.
    /// </summary>
    public int MaxConnections { get; init; } = DescriptorLimit.DefaultMaxConnections;

    /// <summary>The time a client has to send the HTTP/2 preface (or an HTTP/1.1 request head). Default 10 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a header block may stay incomplete (HEADERS without END_HEADERS, waiting for
    /// CONTINUATION) before the connection is closed: slow header blocks tie up a connection. Default 10 seconds.
    /// </summary>
    public TimeSpan HeaderBlockTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a graceful shutdown waits for open streams before closing connections. Default 10 seconds.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether a request that carries <c>Expect: 100-continue</c> gets 100 (Continue) when its
    /// handler first reads the body and none has arrived, as RFC 9110 §10.1.1 asks and Kestrel
    /// does; a handler that answers without reading sends no 100. Off, handlers send it themselves
    /// with <see cref="H2ServerResponse.SendInformationalAsync"/>. Default true.
    /// </summary>
    public bool AnswerExpectContinue { get; init; } = true;

    /// <summary>Whether cleartext connections may start as HTTP/1.1 and switch with <c>Upgrade: h2c</c>. Default true.</summary>
    public bool AllowHttp11Upgrade { get; init; } = true;

    /// <summary>How long one write to the socket may take before the connection is dropped (a client that stops reading). Default 60 seconds.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Queued outbound octets per connection above which response writes wait for the socket. Default 1 MiB.</summary>
    public long MaxQueuedOutboundBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Body octets one response may add to the connection's outbound queue before it waits for the
    /// transport to take them, so that many streams writing at once to a client that reads slowly
    /// (with large windows and frames) cannot pile up memory. Default 64 KiB.
    /// </summary>
    public int MaxQueuedBytesPerStream { get; init; } = 64 * 1024;

    /// <summary>
    /// The least rate at which a request body must arrive while the handler waits to read it;
    /// slower, and the stream is reset with CANCEL. <see langword="null"/> turns it off (for
    /// long-lived streams such as gRPC's, per request through <see cref="H2ServerRequest.MinBodyDataRate"/>).
    /// Default 240 octets per second after a 5-second grace period.
    /// </summary>
    public MinDataRate? MinRequestBodyDataRate { get; init; } = MinDataRate.Default;

    /// <summary>
    /// The least rate at which the client must take a response body while the handler waits for
    /// the client to open its flow-control window; slower, and the stream is reset
    /// with CANCEL. <see langword="null"/> turns it off (per response through
    /// <see cref="H2ServerResponse.MinDataRate"/>). Default 240 octets per second after 5 seconds.
    /// </summary>
    public MinDataRate? MinResponseDataRate { get; init; } = MinDataRate.Default;

    /// <summary>
    /// Whether a finished request's context, request, response and stream record serve the
    /// connection's next request, as Kestrel reuses its streams: about half of what a small request
    /// allocates. Only objects that nothing handed out can still refer to are reused (no abort
    /// token, body, body reader or response body stream was asked for); as with ASP.NET Core's
    /// <c>HttpContext</c>, a handler must not use its context after its task has completed.
    /// Default <see langword="true"/>.
    /// </summary>
    public bool ReuseRequestObjects { get; init; } = true;

    /// <summary>
    /// Where the server logs (category <c>H2Sharp.Net.Server</c>): handler exceptions at Error,
    /// limits that acted and connection errors at Information, handshakes and connections at
    /// Debug, each with an event id and a template; handlers run in a scope carrying
    /// <c>ConnectionId</c> and <c>StreamId</c>. With Trace or Debug on for <c>H2Sharp.Frames</c>,
    /// every connection's frames too, each tagged with its connection (unless
    /// <see cref="ConnectionConfiguration"/> sets a logger of its own). Without a factory, a
    /// handler's exception still goes to standard error: it is never silent.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
