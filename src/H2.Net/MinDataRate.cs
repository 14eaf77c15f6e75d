namespace H2.Net;

/// <summary>
/// The slowest a body may move while the application waits on the peer: once the time spent
/// waiting passes <see cref="GracePeriod"/>, the octets moved so far must average at least
/// <see cref="BytesPerSecond"/> over that time, or the stream is reset. It defends against clients
/// that dribble a request body or read a response a few octets at a time to hold a server's
/// resources (the 2019 data-dribble and slow-read attacks, CVE-2019-9511 and CVE-2019-9517).
/// </summary>
/// <param name="BytesPerSecond">The least average rate, in octets per second; greater than 0.</param>
/// <param name="GracePeriod">The waiting time before the rate is first checked.</param>
public sealed record MinDataRate(double BytesPerSecond, TimeSpan GracePeriod)
{
    /// <summary>The default for request bodies and responses alike: 240 octets per second after 5 seconds, as Kestrel's.</summary>
    public static MinDataRate Default { get; } = new(240, TimeSpan.FromSeconds(5));
}
