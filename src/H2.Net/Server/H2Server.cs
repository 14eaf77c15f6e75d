using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using H2.Frames;
using H2.Net.Logging;
using H2.Net.Session;
using H2.Net.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace H2.Net.Server;

/// <summary>
/// An HTTP/2 server: accepts connections on sockets (cleartext with prior knowledge or
/// <c>Upgrade: h2c</c>, and TLS with ALPN <c>h2</c>) or on any duplex stream, and calls an
/// <see cref="H2RequestHandler"/> for each request.
/// </summary>
public sealed class H2Server : IAsyncDisposable
{
    private static readonly byte[] s_http2Only = Encoding.ASCII.GetBytes(
        "HTTP/1.1 505 HTTP Version Not Supported\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 80\r\n\r\n"
        + "This server speaks HTTP/2 only: use prior knowledge, Upgrade: h2c, or TLS (h2).\r\n");

    private readonly H2RequestHandler _handler;
    private readonly H2ServerOptions _options;
    private readonly ILogger _logger;
    private readonly List<Socket> _listeners = [];
    private readonly ConcurrentDictionary<H2ServerSession, byte> _sessions = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();

    // One slot per connection accepted from a listener, until it closes (MaxConnections).
    private readonly SemaphoreSlim _connectionSlots;

    // Receive window beyond 65,535 octets per connection, shared by all (MaxBufferedRequestBodyBytes).
    private readonly ReceiveWindowBudget _windowBudget;
    private readonly object _stopLock = new();
    private Task? _stopped;
    private Task? _monitor;

    /// <summary>Creates a server; call <see cref="Listen"/> or <see cref="ListenTls"/>, or hand it streams with <see cref="ServeAsync(Stream, bool, EndPoint?, CancellationToken)"/>.</summary>
    /// <param name="handler">Answers each request.</param>
    /// <param name="options">Timeouts, limits and per-connection configuration.</param>
    public H2Server(H2RequestHandler handler, H2ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new H2ServerOptions();
        _logger = _options.LoggerFactory?.CreateLogger(NetLog.ServerCategory) ?? NullLogger.Instance;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxQueuedBytesPerStream, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxQueuedOutboundBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxConnections, 1, nameof(options));
        _connectionSlots = new SemaphoreSlim(_options.MaxConnections, _options.MaxConnections);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ConnectionWindowSize, 65535, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxBufferedRequestBodyBytes, nameof(options));
        _windowBudget = new ReceiveWindowBudget(_options.MaxBufferedRequestBodyBytes);
        foreach (MinDataRate? rate in (ReadOnlySpan<MinDataRate?>)[_options.MinRequestBodyDataRate, _options.MinResponseDataRate])
        {
            if (rate is not null && (!(rate.BytesPerSecond > 0) || double.IsInfinity(rate.BytesPerSecond) || rate.GracePeriod < TimeSpan.Zero))
            {
                throw new ArgumentException("A minimum data rate needs a finite rate above 0 and a grace period of 0 or more.", nameof(options));
            }
        }
    }

    /// <summary>The number of open HTTP/2 connections.</summary>
    public int ConnectionCount => _sessions.Count;

    /// <summary>Accepts cleartext connections: HTTP/2 with prior knowledge, or HTTP/1.1 with <c>Upgrade: h2c</c>.</summary>
    /// <param name="endPoint">The address and port; port 0 picks a free one.</param>
    /// <returns>The bound end point.</returns>
    /// <exception cref="SocketException">The address is in use or not available.</exception>
    public IPEndPoint Listen(IPEndPoint endPoint) => StartListening(endPoint, certificate: null);

    /// <summary>Accepts TLS connections that negotiate HTTP/2 with ALPN <c>h2</c>.</summary>
    /// <param name="endPoint">The address and port; port 0 picks a free one.</param>
    /// <param name="certificate">The server certificate, with its private key.</param>
    /// <returns>The bound end point.</returns>
    /// <exception cref="SocketException">The address is in use or not available.</exception>
    public IPEndPoint ListenTls(IPEndPoint endPoint, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return StartListening(endPoint, certificate);
    }

    /// <summary>
    /// Serves one connection on a duplex stream, until it closes. Cleartext streams may start
    /// with the HTTP/2 preface or an HTTP/1.1 request to upgrade.
    /// </summary>
    /// <param name="transport">The connection; disposed when done.</param>
    /// <param name="isTls">Whether the stream is already TLS with h2 negotiated (requests get scheme https).</param>
    /// <param name="remoteEndPoint">The client's address, shown to handlers.</param>
    /// <param name="cancellationToken">Aborts the connection.</param>
    /// <returns>A task that completes when the connection has closed.</returns>
    public async Task ServeAsync(Stream transport, bool isTls = false, EndPoint? remoteEndPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);

        // Connections the server accepted itself have no token of their own: the server's is
        // enough, and StopAsync shuts their sessions down, so an idle connection keeps neither a
        // linked token source nor a registration.
        using CancellationTokenSource? linked = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token)
            : null;
        CancellationToken stop = linked?.Token ?? _stopping.Token;
        H2ServerSession? session;
        try
        {
            session = await OpenSessionAsync(transport, isTls, remoteEndPoint, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or TimeoutException)
        {
            if (e is OperationCanceledException && !stop.IsCancellationRequested)
            {
                // The handshake deadline, not a stop: the client sent no preface or request in time.
                H2NetMetrics.LimitTripped(client: false, "handshake_timeout");
            }

            NetLog.ConnectionFailedEarly(_logger, remoteEndPoint, e.Message);
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }

        if (session is null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _sessions.TryAdd(session, 0);
        EnsureMonitor();
        if (_stopping.IsCancellationRequested)
        {
            // StopAsync ran while this connection was being set up, after it shut the others down.
            _ = session.ShutdownAsync(_options.DrainTimeout, CancellationToken.None);
        }

        using (cancellationToken.CanBeCanceled ? cancellationToken.Register(() => _ = session.ShutdownAsync(_options.DrainTimeout, CancellationToken.None)) : default)
        {
            await session.Completion.ConfigureAwait(false);
        }

        _sessions.TryRemove(session, out _);
        if (session.Failure is ProtocolException protocolError)
        {
            NetLog.ConnectionError(_logger, session.ConnectionId, remoteEndPoint, protocolError.ErrorCode, protocolError.Message);
        }
    }

    /// <summary>Serves one connection carried by a duplex pipe (for example from a custom transport), until it closes.</summary>
    /// <param name="transport">The connection's pipes; completed when done.</param>
    /// <param name="isTls">Whether the transport is already TLS with h2 negotiated.</param>
    /// <param name="remoteEndPoint">The client's address, shown to handlers.</param>
    /// <param name="cancellationToken">Aborts the connection.</param>
    /// <returns>A task that completes when the connection has closed.</returns>
    public Task ServeAsync(IDuplexPipe transport, bool isTls = false, EndPoint? remoteEndPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return ServeAsync(new DuplexPipeStream(transport), isTls, remoteEndPoint, cancellationToken);
    }

    /// <summary>
    /// Stops accepting, sends GOAWAY on every connection, lets open streams finish for up to
    /// <see cref="H2ServerOptions.DrainTimeout"/>, then closes what is left.
    /// </summary>
    /// <returns>A task that completes when every connection has closed; later calls return the same task.</returns>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopped ??= StopCoreAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task StopCoreAsync()
    {
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        _listeners.Clear();
        await Task.WhenAll(_sessions.Keys.Select(s => s.ShutdownAsync(_options.DrainTimeout))).ConfigureAwait(false);
        _stopping.Cancel();

        // A connection that became a session after the first sweep is shut down here; one that
        // becomes a session after this sweep sees the cancellation itself (ServeAsync).
        await Task.WhenAll(_sessions.Keys.Select(s => s.ShutdownAsync(_options.DrainTimeout))).ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
    }

    /// <summary>Starts the one timer that checks every connection's deadlines, if it is not running.</summary>
    private void EnsureMonitor()
    {
        if (_monitor is null)
        {
            lock (_stopLock)
            {
                _monitor ??= MonitorAsync();
            }
        }
    }

    private async Task MonitorAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                long now = Environment.TickCount64;
                foreach (H2ServerSession session in _sessions.Keys)
                {
                    session.Tick(now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private IPEndPoint StartListening(IPEndPoint endPoint, X509Certificate2? certificate)
    {
        // The certificate's chain is built once, not at every handshake (a third of a handshake's
        // CPU); offline, so no intermediate is fetched over the network. One options object
        // serves every handshake of the listener.
        SslServerAuthenticationOptions? tls = certificate is null ? null : new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        };
        ArgumentNullException.ThrowIfNull(endPoint);
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listeners.Add(listener);
        _ = AcceptLoopAsync(listener.AcceptAsync, tls);
        return (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <summary>
    /// Accepts connections until the server stops; a failure to accept (out of descriptors, say)
    /// is waited out, never the end of the loop. <paramref name="accept"/> is the listener's (tests
    /// pass one that fails).
    /// </summary>
    internal async Task AcceptLoopAsync(Func<CancellationToken, ValueTask<Socket>> accept, SslServerAuthenticationOptions? tls)
    {
        TimeSpan backOff = TimeSpan.Zero;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            if (!_connectionSlots.Wait(0))
            {
                // At MaxConnections, stop accepting: new connections wait in the listen backlog.
                H2NetMetrics.LimitTripped(client: false, "max_connections");
                NetLog.ConnectionLimitReached(_logger, _options.MaxConnections);
                try
                {
                    await _connectionSlots.WaitAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                socket = await accept(_stopping.Token).ConfigureAwait(false);
                backOff = TimeSpan.Zero;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                _connectionSlots.Release();
                return;
            }
            catch (SocketException e)
            {
                // Transient (EMFILE/ENFILE: out of descriptors; ENOBUFS; a connection reset while
                // queued): wait a little, longer each time, and go on accepting.
                _connectionSlots.Release();
                backOff = backOff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromMilliseconds(Math.Min(backOff.TotalMilliseconds * 2, 1000));
                NetLog.AcceptFailed(_logger, e.SocketErrorCode, e.Message, backOff.TotalMilliseconds);
                H2NetMetrics.LimitTripped(client: false, "accept_failed");
                try
                {
                    await Task.Delay(backOff, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            socket.NoDelay = true;
            Task connection = Task.Run(() => HandleSocketAsync(socket, tls));
            _connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(
                static (t, state) =>
                {
                    var server = (H2Server)state!;
                    server._connections.TryRemove(t, out _);
                    server._connectionSlots.Release();
                },
                this,
                TaskScheduler.Default);
        }
    }

    private async Task HandleSocketAsync(Socket socket, SslServerAuthenticationOptions? tlsOptions)
    {
        EndPoint? remote = socket.RemoteEndPoint;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tlsOptions is null)
        {
            await ServeAsync(stream, isTls: false, remote).ConfigureAwait(false);
            return;
        }

        var tls = new HalfClosableSslStream(stream);
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshake.CancelAfter(_options.HandshakeTimeout);
            await tls.AuthenticateAsServerAsync(tlsOptions, handshake.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or SocketException)
        {
            if (e is OperationCanceledException && !_stopping.IsCancellationRequested)
            {
                H2NetMetrics.LimitTripped(client: false, "handshake_timeout");
            }

            NetLog.TlsHandshakeFailed(_logger, remote, e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            return;
        }

        if (tls.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
        {
            // The client did not offer h2 (RFC 9113 §3.2): answer in HTTP/1.1 and close.
            await ReplyAndCloseAsync(tls, s_http2Only).ConfigureAwait(false);
            return;
        }

        await ServeAsync(tls, isTls: true, remote).ConfigureAwait(false);
    }

    private async Task<H2ServerSession?> OpenSessionAsync(Stream transport, bool isTls, EndPoint? remote, CancellationToken cancellationToken)
    {
        if (isTls)
        {
            return H2ServerSession.Start(transport, _handler, _options, _logger, _windowBudget, remote, tls: true);
        }

        // Sniff: the HTTP/2 preface, or an HTTP/1.1 request head (RFC 9113 §3.3, RFC 7540 §3.2).
        using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        handshake.CancelAfter(_options.HandshakeTimeout);
        byte[] start = new byte[FrameReader.ClientPreface.Length];
        int have = 0;
        while (have < start.Length)
        {
            int read = await transport.ReadAsync(start.AsMemory(have), handshake.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            have += read;
            if (!FrameReader.ClientPreface[..have].SequenceEqual(start.AsSpan(0, have)))
            {
                break;
            }
        }

        if (have == start.Length && FrameReader.ClientPreface.SequenceEqual(start))
        {
            return H2ServerSession.Start(new PrefixedStream(transport, start), _handler, _options, _logger, _windowBudget, remote, tls: false);
        }

        Http11Request? request;
        try
        {
            request = await Http11Request.ReadAsync(transport, start[..have], handshake.Token).ConfigureAwait(false);
            if (request is null)
            {
                return null;
            }

            if (!_options.AllowHttp11Upgrade || !request.WantsH2c || !IsValidSettingsHeader(request, remote))
            {
                await ReplyAndCloseAsync(transport, s_http2Only).ConfigureAwait(false);
                return null;
            }

            if (!await request.ReadBodyAsync(transport, handshake.Token).ConfigureAwait(false))
            {
                return null;
            }
        }
        catch (Http11Exception refused)
        {
            // RFC 9112: a malformed or ambiguous request gets its status and the connection closes.
            NetLog.Http11Refused(_logger, remote, refused.Status, refused.Message);
            await ReplyAndCloseAsync(transport, Http11Reply(refused.Status, refused.Message)).ConfigureAwait(false);
            return null;
        }

        await transport.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"u8.ToArray(), handshake.Token).ConfigureAwait(false);
        try
        {
            return H2ServerSession.Start(new PrefixedStream(transport, request.Rest), _handler, _options, _logger, _windowBudget, remote, tls: false, request);
        }
        catch (Exception e) when (e is ArgumentException or H2Exception)
        {
            NetLog.BadHttp2Settings(_logger, remote, e.Message);
            return null;
        }
    }

    /// <summary>Checks the HTTP2-Settings header before agreeing to switch, so a bad one gets no 101.</summary>
    private bool IsValidSettingsHeader(Http11Request request, EndPoint? remote)
    {
        try
        {
            new H2Connection(_options.ConnectionConfiguration()).InitiateUpgradeConnection(request.Http2Settings ?? string.Empty, request.Method);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or H2Exception)
        {
            NetLog.BadHttp2Settings(_logger, remote, e.Message);
            return false;
        }
    }

    /// <summary>An HTTP/1.1 response that refuses a request and closes the connection, its reason as the body.</summary>
    private static byte[] Http11Reply(int status, string reason)
    {
        string phrase = status switch
        {
            400 => "Bad Request",
            413 => "Content Too Large",
            431 => "Request Header Fields Too Large",
            501 => "Not Implemented",
            _ => "Error",
        };
        string body = reason + "\r\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {phrase}\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n{body}");
    }

    private static async Task ReplyAndCloseAsync(Stream transport, byte[] reply)
    {
        try
        {
            await transport.WriteAsync(reply).ConfigureAwait(false);
            await transport.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }

        await transport.DisposeAsync().ConfigureAwait(false);
    }
}
