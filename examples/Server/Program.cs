using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using H2;
using H2.Examples.Server;
using H2.Extensions.Logging;
using Microsoft.Extensions.Logging;
using H2.Net;
using H2.Net.Server;

// The example HTTP/2 server: the h2 tutorial's JSON echo and a few test routes, cleartext
// (prior knowledge and Upgrade: h2c) and TLS (ALPN h2), on top of H2.Net.

// H2.Net runs no application code when a socket operation completes (handlers go to the thread
// pool), so completions may run inline on .NET's socket event thread, sparing a thread switch per
// read and write (about a third of the CPU per request under load). .NET reads this setting from
// the environment once, before the first socket is used; an explicit setting is left alone.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}
var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "Cleartext port (HTTP/2 prior knowledge and Upgrade: h2c); 0 picks a free port.", DefaultValueFactory = _ => 8080 };
var tlsPort = new Option<int>("--tls-port") { Description = "TLS port (ALPN h2); 0 picks a free port.", DefaultValueFactory = _ => 8443 };
var noTls = new Option<bool>("--no-tls") { Description = "Serve cleartext only." };
var cert = new Option<FileInfo?>("--cert") { Description = "PEM certificate for TLS; by default a self-signed one for localhost is made at start-up." };
var key = new Option<FileInfo?>("--key") { Description = "PEM private key that goes with --cert." };
var quiet = new Option<bool>("--quiet") { Description = "Do not log a line per request." };
var verbose = new Option<bool>("--verbose") { Description = "Log every frame and connection event." };
var idle = new Option<int>("--idle-timeout") { Description = "Seconds a connection may sit idle.", DefaultValueFactory = _ => 120 };
var drain = new Option<int>("--drain-timeout") { Description = "Seconds open streams get to finish on shutdown.", DefaultValueFactory = _ => 10 };
var headerTimeout = new Option<int>("--header-timeout") { Description = "Seconds a header block may stay incomplete (waiting for CONTINUATION).", DefaultValueFactory = _ => 10 };
var maxConnections = new Option<int?>("--max-connections") { Description = "Connections served at once; more wait in the listen backlog (default: a little below the process's file descriptor limit)." };
var minDataRate = new Option<int>("--min-data-rate") { Description = "Octets per second a client must at least send a request body or take a response at, after a 5-second grace; 0 turns it off.", DefaultValueFactory = _ => 240 };

var root = new RootCommand("H2Sharp example HTTP/2 server. Routes: / and /get (request headers as JSON), /post (echo), /bytes/N, /status/N, /trailers, /stats (the process's allocations, CPU time and collections, for benchmarks).")
{
    host, port, tlsPort, noTls, cert, key, quiet, verbose, idle, drain, headerTimeout, minDataRate, maxConnections,
};

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
    return 2;
}

// The root command has no action of its own, so an action here is --help or --version.
if (parsed.Action is not null)
{
    return await parsed.InvokeAsync();
}

var settings = new ServerSettings(
    parsed.GetValue(host)!,
    parsed.GetValue(port),
    parsed.GetValue(noTls) ? -1 : parsed.GetValue(tlsPort),
    parsed.GetValue(cert),
    parsed.GetValue(key),
    parsed.GetValue(quiet),
    parsed.GetValue(verbose),
    TimeSpan.FromSeconds(parsed.GetValue(idle)),
    TimeSpan.FromSeconds(parsed.GetValue(drain)),
    TimeSpan.FromSeconds(parsed.GetValue(headerTimeout)),
    parsed.GetValue(minDataRate),
    parsed.GetValue(maxConnections));
return await ServerHost.RunAsync(settings);

namespace H2.Examples.Server
{
    /// <summary>The options, checked.</summary>
    /// <remarks>A <see cref="TlsPort"/> of -1 means no TLS.</remarks>
    internal sealed record ServerSettings(
        string Host, int Port, int TlsPort, FileInfo? Cert, FileInfo? Key, bool Quiet, bool Verbose, TimeSpan IdleTimeout, TimeSpan DrainTimeout, TimeSpan HeaderTimeout, int MinDataRate, int? MaxConnections);

    /// <summary>Starts the listeners, logs, and shuts down gracefully on SIGINT or SIGTERM.</summary>
    internal static class ServerHost
    {
        public static async Task<int> RunAsync(ServerSettings settings)
        {
            if (!IPAddress.TryParse(settings.Host, out IPAddress? address))
            {
                IPAddress[] addresses;
                try
                {
                    addresses = await Dns.GetHostAddressesAsync(settings.Host);
                }
                catch (SocketException)
                {
                    addresses = [];
                }

                if (addresses.Length == 0)
                {
                    return Fail($"cannot resolve --host {settings.Host}");
                }

                address = addresses[0];
            }

            if (settings.Port is < 0 or > 65535 || settings.TlsPort is < -1 or > 65535)
            {
                return Fail("ports must be 0 to 65535");
            }

            if (settings.MaxConnections is < 1)
            {
                return Fail("--max-connections must be at least 1");
            }

            if ((settings.Cert is null) != (settings.Key is null))
            {
                return Fail("--cert and --key go together");
            }

            X509Certificate2? certificate = null;
            if (settings.TlsPort >= 0)
            {
                try
                {
                    certificate = settings.Cert is null ? Certificates.SelfSigned() : Certificates.FromPem(settings.Cert, settings.Key!);
                }
                catch (Exception e) when (e is IOException or CryptographicException or ArgumentException)
                {
                    return Fail($"cannot load the TLS certificate: {e.Message}");
                }
            }

            var log = new RequestLog(settings.Quiet);

            // --verbose: every connection's frames (Trace, each tagged with its connection, SETTINGS
            // with their values), its events (Debug), and the server's own messages, through
            // Microsoft.Extensions.Logging's console logger; handlers run in a scope naming the
            // connection and stream. Otherwise, a failing handler still reaches standard error.
            using ILoggerFactory? loggers = settings.Verbose
                ? LoggerFactory.Create(builder => builder.AddSimpleConsole(console => { console.SingleLine = true; console.IncludeScopes = true; }).SetMinimumLevel(LogLevel.Trace))
                : null;
            var options = new H2ServerOptions
            {
                ConnectionConfiguration = () => new H2Configuration
                {
                    ClientSide = false,
                    MaxConcurrentStreams = 256,
                    InitialWindowSize = 1 << 20,
                },
                IdleTimeout = settings.IdleTimeout,
                DrainTimeout = settings.DrainTimeout,
                HeaderBlockTimeout = settings.HeaderTimeout,
                MinRequestBodyDataRate = MinRate(settings.MinDataRate),
                MinResponseDataRate = MinRate(settings.MinDataRate),
                LoggerFactory = loggers,
                MaxConnections = settings.MaxConnections ?? new H2ServerOptions().MaxConnections,
            };

            await using var server = new H2Server(log.Wrap(Routes.HandleAsync), options);
            try
            {
                IPEndPoint clear = server.Listen(new IPEndPoint(address, settings.Port));
                Console.WriteLine($"listening on http://{Format(clear)}/ (HTTP/2 prior knowledge and Upgrade: h2c)");
                if (certificate is not null)
                {
                    IPEndPoint tls = server.ListenTls(new IPEndPoint(address, settings.TlsPort), certificate);
                    Console.WriteLine($"listening on https://{Format(tls)}/ (TLS, ALPN h2{(settings.Cert is null ? ", self-signed certificate for localhost" : "")})");
                }
            }
            catch (SocketException e)
            {
                return Fail(e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the port is already in use" : e.Message);
            }

            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await stop.Task;

            Console.WriteLine($"shutting down: GOAWAY sent, open streams get {settings.DrainTimeout.TotalSeconds:0} s");
            await server.StopAsync();
            Console.WriteLine("stopped");
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.TrySetResult();
            }
        }

        private static MinDataRate? MinRate(int bytesPerSecond) =>
            bytesPerSecond > 0 ? MinDataRate.Default with { BytesPerSecond = bytesPerSecond } : null;

        private static string Format(IPEndPoint endPoint) =>
            endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : endPoint.ToString();

        private static int Fail(string message)
        {
            Console.Error.WriteLine($"error: {message}");
            return 1;
        }
    }
}
