using System.Net.Security;

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

    /// <summary>How long connecting (TCP, TLS, upgrade) may take. Default 30 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one write to the socket may take before the connection is dropped. Default 60 seconds.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Queued outbound octets above which request bodies wait for the socket. Default 1 MiB.</summary>
    public long MaxQueuedOutboundBytes { get; init; } = 1 << 20;
}
