using System.Net;
using H2.Events;
using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>What H2Client sends and keeps: announced trailers, and a bounded number of informational responses.</summary>
public class ClientRequestTests
{
    [Fact]
    public async Task RequestTrailers_AreAnnouncedInATrailerField()
    {
        // RFC 9110 §6.6.2; Go's server drops trailers that were not announced.
        var seen = new TaskCompletionSource<(string? Announced, IReadOnlyList<HeaderField>? Trailers)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new H2Server(async context =>
        {
            await context.Request.Body.ReadToEndAsync();
            seen.TrySetResult((context.Request.GetHeader("trailer"), context.Request.Body.Trailers));
        });
        IPEndPoint endPoint = server.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        await using (server)
        await using (H2Client client = await H2Client.ConnectAsync(new Uri($"http://127.0.0.1:{endPoint.Port}/")))
        {
            var request = new H2ClientRequest("POST", "/") { Content = "body"u8.ToArray() };
            request.Trailers.Add(("x-checksum", "1"));
            request.Trailers.Add(("x-length", "4"));
            request.Trailers.Add(("x-checksum", "2"));
            await client.SendAsync(request);
            (string? announced, IReadOnlyList<HeaderField>? trailers) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("x-checksum, x-length", announced);
            Assert.Equal(3, trailers!.Count);
        }
    }

    [Fact]
    public async Task AnnouncedTrailersOfTheCaller_AreLeftAlone()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is TrailersReceived trailers)
            {
                c.SendHeaders(trailers.StreamId, [(":status", "200")], endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        var request = new H2ClientRequest("POST", "/") { Content = "body"u8.ToArray() };
        request.Headers.Add(("trailer", "X-Checksum"));
        request.Trailers.Add(("x-checksum", "1"));
        await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(10));
        RequestReceived received = server.Received.OfType<RequestReceived>().Single();
        Assert.Equal(["X-Checksum"], received.Headers.Where(h => h.Name == "trailer").Select(h => h.Value));
    }

    [Fact]
    public async Task ManyInformationalResponses_AreKeptOnlyUpToABound()
    {
        await using var server = new ScriptedServer(new H2Configuration(), (c, e) =>
        {
            if (e is RequestReceived request)
            {
                for (int i = 0; i < 100; i++)
                {
                    c.SendHeaders(request.StreamId, [(":status", "103"), ("link", $"</{i}.css>; rel=preload")]);
                }

                c.SendHeaders(request.StreamId, [(":status", "200")], endStream: true);
            }
        });
        await using H2Client client = await H2Client.ConnectAsync(server.Uri);
        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(16, response.InformationalResponses.Count);
        Assert.Equal("</0.css>; rel=preload", response.InformationalResponses[0].Single(h => h.Name == "link").Value);
    }
}
