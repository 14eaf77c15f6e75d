using System.Diagnostics.Metrics;

namespace H2.Net;

/// <summary>
/// The counters H2Sharp.Net publishes through <see cref="System.Diagnostics.Metrics"/>, under the
/// meter <see cref="MeterName"/>: <c>dotnet-counters monitor --counters H2Sharp.Net</c> or an
/// OpenTelemetry <c>AddMeter("H2Sharp.Net")</c> picks them up with no other code. Each carries
/// the tag <c>h2.role</c> (<c>server</c> or <c>client</c>).
/// </summary>
/// <remarks>
/// <list type="table">
/// <listheader><term>instrument</term><description>what it counts</description></listheader>
/// <item><term><c>h2sharp.connections</c></term><description>open connections (up-down)</description></item>
/// <item><term><c>h2sharp.streams</c></term><description>open streams (up-down)</description></item>
/// <item><term><c>h2sharp.frames.received</c>, <c>h2sharp.frames.sent</c></term><description>frames</description></item>
/// <item><term><c>h2sharp.streams.reset</c></term><description>streams reset, tag <c>h2.direction</c>: <c>sent</c> or <c>received</c></description></item>
/// <item><term><c>h2sharp.goaways</c></term><description>GOAWAY frames, tag <c>h2.direction</c></description></item>
/// <item><term><c>h2sharp.flow_control.stalls</c></term><description>body writes that had to wait for the peer's flow-control window</description></item>
/// <item><term><c>h2sharp.limits.tripped</c></term><description>protective limits that acted against a peer, tag <c>h2.limit</c>:
/// <c>denial_of_service</c> (the core's flood and abuse defences: GOAWAY ENHANCE_YOUR_CALM), <c>body_chunks</c>,
/// <c>concurrent_handlers</c> (a request waiting for a handler slot), <c>handshake_timeout</c>, <c>header_block_timeout</c>,
/// <c>frame_timeout</c>, <c>min_data_rate</c>, <c>write_timeout</c>, <c>max_connections</c> (accepting paused at
/// the limit), <c>accept_failed</c> (an accept failed, out of descriptors say, and is retried), and on clients
/// <c>client_timeout</c> (a response or idle timeout reset a stream)</description></item>
/// </list>
/// </remarks>
public static class H2NetMetrics
{
    /// <summary>The name of the meter.</summary>
    public const string MeterName = "H2Sharp.Net";

    private static readonly Meter s_meter = new(MeterName);

    // Open connections and streams are observed (read when a listener asks), not added up, so a
    // listener that attaches late still sees the true numbers: [0] server, [1] client.
    private static readonly long[] s_connections = new long[2];
    private static readonly long[] s_streams = new long[2];
    private static readonly KeyValuePair<string, object?>[] s_roles = [new("h2.role", "server"), new("h2.role", "client")];

    private static readonly ObservableUpDownCounter<long> s_connectionsObserved = s_meter.CreateObservableUpDownCounter(
        "h2sharp.connections", static () => Observe(s_connections), "{connection}", "Open HTTP/2 connections.");

    private static readonly ObservableUpDownCounter<long> s_streamsObserved = s_meter.CreateObservableUpDownCounter(
        "h2sharp.streams", static () => Observe(s_streams), "{stream}", "Open HTTP/2 streams.");
    internal static readonly Counter<long> FramesReceived = s_meter.CreateCounter<long>("h2sharp.frames.received", "{frame}", "HTTP/2 frames received.");
    internal static readonly Counter<long> FramesSent = s_meter.CreateCounter<long>("h2sharp.frames.sent", "{frame}", "HTTP/2 frames sent.");
    internal static readonly Counter<long> Resets = s_meter.CreateCounter<long>("h2sharp.streams.reset", "{stream}", "Streams reset, by direction.");
    internal static readonly Counter<long> GoAways = s_meter.CreateCounter<long>("h2sharp.goaways", "{frame}", "GOAWAY frames, by direction.");
    internal static readonly Counter<long> FlowControlStalls = s_meter.CreateCounter<long>("h2sharp.flow_control.stalls", "{write}", "Body writes that waited for the peer's flow-control window.");
    internal static readonly Counter<long> LimitsTripped = s_meter.CreateCounter<long>("h2sharp.limits.tripped", "{event}", "Protective limits that acted against a peer, by limit.");

    /// <summary>The <c>h2.role</c> tag of one side.</summary>
    internal static KeyValuePair<string, object?> RoleTag(bool client) => s_roles[client ? 1 : 0];

    /// <summary>Counts a protective limit that acted against a peer.</summary>
    internal static void LimitTripped(bool client, string limit) =>
        LimitsTripped.Add(1, RoleTag(client), new KeyValuePair<string, object?>("h2.limit", limit));

    /// <summary>A connection opened (+1) or closed (-1).</summary>
    internal static void ConnectionChanged(bool client, int delta) => Interlocked.Add(ref s_connections[client ? 1 : 0], delta);

    /// <summary>A stream opened (+1) or was forgotten (-1).</summary>
    internal static void StreamChanged(bool client, int delta) => Interlocked.Add(ref s_streams[client ? 1 : 0], delta);

    private static Measurement<long>[] Observe(long[] counts) =>
    [
        new(Interlocked.Read(ref counts[0]), RoleTag(client: false)),
        new(Interlocked.Read(ref counts[1]), RoleTag(client: true)),
    ];
}
