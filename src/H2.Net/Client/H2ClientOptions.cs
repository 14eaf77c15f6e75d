using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace H2.Net.Client;

/// <summary>How an <see cref="H2Client"/> connects.</summary>
public sealed class H2ClientOptions
{
    /// <summary>
    /// Makes the connection's configuration; <see cref="H2Configuration.ClientSide"/> must be true.
    /// By default: 1 MiB stream windows, pushes refused.
    /// </summary>
    public Func<H2Configuration> ConnectionConfiguration { get; init; } = static () => new H2Configuration
    {
        ClientSide = true,
        InitialWindowSize = 1 << 20,
    };

    /// <summary>The connection-level receive window opened at start. Default 64 MiB.</summary>
    public int ConnectionWindowSize { get; init; } = 64 << 20;

    /// <summary>For <c>http://</c>: start as HTTP/1.1 and switch with <c>Upgrade: h2c</c> instead of prior knowledge.</summary>
    public bool UseUpgrade { get; init; }

    /// <summary>The method of the request sent with the upgrade; its response is <see cref="H2Client.UpgradeResponse"/>. Default GET.</summary>
    public string UpgradeMethod { get; init; } = "GET";

    /// <summary>Checks the server's certificate for <c>https://</c>; by default the system's rules apply.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>
    /// How long connecting may take: TCP, TLS, the upgrade, and the server's SETTINGS (the end of
    /// its connection preface, RFC 9113 §3.4). Past it, <see cref="H2Client.ConnectAsync"/> throws
    /// <see cref="TimeoutException"/>. Default 30 seconds.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request may wait for its final response headers once it is sent (informational
    /// responses do not count), and a promised push for its response: past it the stream is reset
    /// with CANCEL and <see cref="H2Client.SendAsync"/> (or the push's response) fails with
    /// <see cref="TimeoutException"/>. <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// Default 100 seconds, as <c>HttpClient.Timeout</c>.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long a stream may make no progress while the application waits on the server: a body
    /// read that receives nothing, or an upload waiting for flow-control window. Past it the
    /// stream is reset with CANCEL and the wait fails with an <see cref="IOException"/> whose
    /// inner exception is a <see cref="TimeoutException"/>. <see cref="Timeout.InfiniteTimeSpan"/>
    /// turns it off. Default 100 seconds.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>How long one write to the socket may take before the connection is dropped. Default 60 seconds.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where the client logs (category <c>H2Sharp.Net.Client</c>): connections, GOAWAY and closing
    /// at Debug, timeouts at Information, each with an event id and a template. With Trace or Debug
    /// on for <c>H2Sharp.Frames</c>, the connection's frames too, tagged with its identifier
    /// (unless <see cref="ConnectionConfiguration"/> sets a logger of its own).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Queued outbound octets above which request bodies wait for the socket. Default 1 MiB.</summary>
    public long MaxQueuedOutboundBytes { get; init; } = 1 << 20;
}
