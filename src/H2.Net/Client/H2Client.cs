using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using H2.Events;
using H2.Net.Logging;
using H2.Net.Transport;

namespace H2.Net.Client;

/// <summary>
/// An HTTP/2 client connection: connect once, then send requests concurrently with
/// <see cref="SendAsync"/>. <c>http://</c> uses prior knowledge (or <c>Upgrade: h2c</c> if asked),
/// <c>https://</c> uses TLS with ALPN <c>h2</c>.
/// </summary>
public sealed class H2Client : IAsyncDisposable
{
    private readonly H2ClientSession _session;
    private readonly string _scheme;
    private readonly string _authority;

    private H2Client(H2ClientSession session, string scheme, string authority, Task<H2ClientResponse>? upgradeResponse)
    {
        _session = session;
        _scheme = scheme;
        _authority = authority;
        UpgradeResponse = upgradeResponse;
    }

    /// <summary>With <see cref="H2ClientOptions.UseUpgrade"/>: the response to the request that carried the upgrade, on stream 1.</summary>
    public Task<H2ClientResponse>? UpgradeResponse { get; }

    /// <summary>Responses the server pushes, as they are promised.</summary>
    public ChannelReader<H2PushedResponse> PushedResponses => _session.Pushes;

    /// <summary>The settings the server announced.</summary>
    public Settings RemoteSettings => _session.Do(c => c.RemoteSettings);

    /// <summary>Completes when the connection has closed.</summary>
    public Task Completion => _session.Completion;

    /// <summary>
    /// Completes with the server's GOAWAY (RFC 9113 §6.8) when it arrives: from then on the
    /// connection opens no stream, and requests sent on it fail with an
    /// <see cref="H2ConnectionException"/> whose <see cref="H2ConnectionException.RequestNotProcessed"/>
    /// is true, so a pool should send them elsewhere. Cancelled if the connection ends without one.
    /// </summary>
    public Task<ConnectionTerminated> GoAway => _session.GoAway;

    /// <summary>Whether the server has sent GOAWAY, so that no new request may be sent on this connection.</summary>
    public bool GoAwayReceived => _session.GoAway.IsCompletedSuccessfully;

    /// <summary>
    /// Connects to the server of <paramref name="uri"/> (its scheme, host and port) and waits for
    /// the server's SETTINGS, which end its connection preface (RFC 9113 §3.4).
    /// </summary>
    /// <param name="uri">An <c>http://</c> or <c>https://</c> address; with the upgrade, its path is requested.</param>
    /// <param name="options">How to connect.</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    /// <returns>The connected client.</returns>
    /// <exception cref="H2ConnectionException">
    /// Connecting failed: the socket or TLS error is the inner exception; a server that does not
    /// speak HTTP/2 this way (no ALPN <c>h2</c>, a refused upgrade) or closed the connection says so.
    /// </exception>
    /// <exception cref="TimeoutException">Connecting took longer than <see cref="H2ClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<H2Client> ConnectAsync(Uri uri, H2ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uri);
        options ??= new H2ClientOptions();
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException("Only http:// and https:// are supported.", nameof(uri));
        }

        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connecting.CancelAfter(options.ConnectTimeout);
        H2Client? client = null;
        try
        {
            client = await OpenAsync(uri, options, connecting.Token).ConfigureAwait(false);
            await client._session.ServerSettings.WaitAsync(connecting.Token).ConfigureAwait(false);
            return client;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or AuthenticationException)
        {
            if (client is not null)
            {
                client._session.Abort();
                await client.Completion.ConfigureAwait(false);
            }

            if (e is OperationCanceledException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException($"Connecting to {uri.Authority} was cancelled.", e, cancellationToken);
                }

                throw new TimeoutException(
                    $"Connecting to {uri.Authority} did not complete within {options.ConnectTimeout.TotalSeconds:0.###} s (ConnectTimeout){(client is null ? "" : ": the server sent no SETTINGS")}.");
            }

            if (e is H2ConnectionException)
            {
                throw;
            }

            throw new H2ConnectionException(ErrorCode.ConnectError, null, $"Connecting to {uri.Authority} failed: {e.Message}", requestNotProcessed: true, e);
        }
    }

    /// <summary>Opens the transport (TCP, TLS or the upgrade) and starts the session.</summary>
    private static async Task<H2Client> OpenAsync(Uri uri, H2ClientOptions options, CancellationToken cancellationToken)
    {
        bool tls = uri.Scheme == Uri.UriSchemeHttps;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream transport;
        try
        {
            await socket.ConnectAsync(uri.Host, uri.Port, cancellationToken).ConfigureAwait(false);
            transport = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        string authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        try
        {
            if (tls)
            {
                var ssl = new HalfClosableSslStream(transport);
                transport = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = uri.IdnHost,
                        ApplicationProtocols = [SslApplicationProtocol.Http2],
                        RemoteCertificateValidationCallback = options.ServerCertificateValidation,
                    },
                    cancellationToken).ConfigureAwait(false);
                if (ssl.NegotiatedApplicationProtocol != SslApplicationProtocol.Http2)
                {
                    throw new H2ConnectionException(ErrorCode.Http11Required, null, $"The server at {authority} did not agree to HTTP/2 (ALPN h2).", requestNotProcessed: true);
                }

                return Start(transport, "https", authority, options);
            }

            if (options.UseUpgrade)
            {
                return await UpgradeAsync(transport, authority, uri.PathAndQuery, options, cancellationToken).ConfigureAwait(false);
            }

            return Start(transport, "http", authority, options);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts HTTP/2 with prior knowledge on a stream already connected to a server.</summary>
    /// <param name="transport">The connection; owned and disposed by the client.</param>
    /// <param name="scheme">The scheme of requests, http or https.</param>
    /// <param name="authority">The default authority of requests.</param>
    /// <param name="options">Connection settings.</param>
    /// <returns>The client.</returns>
    public static H2Client Connect(Stream transport, string scheme, string authority, H2ClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return Start(transport, scheme, authority, options ?? new H2ClientOptions());
    }

    /// <summary>Starts HTTP/2 with prior knowledge on a duplex pipe already connected to a server.</summary>
    /// <param name="transport">The connection's pipes; completed when the client closes.</param>
    /// <param name="scheme">The scheme of requests, http or https.</param>
    /// <param name="authority">The default authority of requests.</param>
    /// <param name="options">Connection settings.</param>
    /// <returns>The client.</returns>
    public static H2Client Connect(IDuplexPipe transport, string scheme, string authority, H2ClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return Connect(new DuplexPipeStream(transport), scheme, authority, options);
    }

    /// <summary>Sends a request; many may be in flight at once (beyond the server's limit they wait for a free stream).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Resets the stream, at any time until it ends (the body included), and stops waiting.</param>
    /// <returns>The response, once its headers have arrived; its body follows.</returns>
    /// <exception cref="IOException">The stream was reset or the connection lost.</exception>
    public Task<H2ClientResponse> SendAsync(H2ClientRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _session.SendAsync(request, _scheme, _authority, cancellationToken);
    }

    /// <summary>Closes gracefully: GOAWAY, then waits for open streams up to <paramref name="drainTimeout"/>.</summary>
    /// <param name="drainTimeout">How long to wait for open streams; 10 seconds by default.</param>
    /// <returns>A task that completes when the connection has closed.</returns>
    public Task CloseAsync(TimeSpan? drainTimeout = null) => _session.ShutdownAsync(drainTimeout ?? TimeSpan.FromSeconds(10));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);

    private static H2Client Start(Stream transport, string scheme, string authority, H2ClientOptions options)
    {
        long id = NetLog.NextConnectionId();
        var connection = new H2Connection(FrameLogging.Configure(options.ConnectionConfiguration(), options.LoggerFactory, id));
        connection.InitiateConnection();
        var session = new H2ClientSession(transport, connection, options, id, authority);
        session.Begin(upgraded: false);
        return new H2Client(session, scheme, authority, null);
    }

    private static async Task<H2Client> UpgradeAsync(Stream transport, string authority, string target, H2ClientOptions options, CancellationToken cancellationToken)
    {
        long id = NetLog.NextConnectionId();
        var connection = new H2Connection(FrameLogging.Configure(options.ConnectionConfiguration(), options.LoggerFactory, id));
        string settings = connection.InitiateUpgradeConnection()!;
        string request = $"{options.UpgradeMethod} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: {settings}\r\n\r\n";
        await transport.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);
        await transport.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Read the HTTP/1.1 response head; anything after it is already HTTP/2.
        (byte[] Head, byte[] After)? response;
        try
        {
            response = await Http11Head.ReadAsync(transport, ReadOnlyMemory<byte>.Empty, 16 * 1024, cancellationToken).ConfigureAwait(false);
        }
        catch (Http11Exception e)
        {
            throw new H2ConnectionException(ErrorCode.ConnectError, null, $"The server's answer to the upgrade is not HTTP/1.1: {e.Message}", requestNotProcessed: true, e);
        }

        if (response is not (byte[] head, byte[] rest))
        {
            throw new H2ConnectionException(ErrorCode.ConnectError, null, "The server closed the connection during the upgrade.", requestNotProcessed: true);
        }

        string statusLine = Encoding.Latin1.GetString(head).Split("\r\n")[0];
        if (!statusLine.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new H2ConnectionException(ErrorCode.Http11Required, null, $"The server refused to upgrade to h2c: {statusLine}", requestNotProcessed: true);
        }

        var session = new H2ClientSession(new PrefixedStream(transport, rest), connection, options, id, authority);
        Task<H2ClientResponse>? first = session.Begin(upgraded: true);
        return new H2Client(session, "http", authority, first);
    }
}
