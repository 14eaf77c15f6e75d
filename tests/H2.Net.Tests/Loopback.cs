using System.IO.Pipelines;
using System.Net;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>Ways to reach a server under test: a loopback socket, or a pair of in-memory pipes.</summary>
internal static class Loopback
{
    /// <summary>Makes the server listen on a free loopback port and connects a client to it.</summary>
    public static Task<H2Client> ConnectAsync(H2Server server)
    {
        IPEndPoint ep = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        return H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{ep.Port}/"));
    }
}

/// <summary>One side of an in-memory connection: what it reads and what it writes.</summary>
internal sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;
}
