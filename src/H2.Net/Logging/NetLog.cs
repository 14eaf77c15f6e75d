using System.Net;
using Microsoft.Extensions.Logging;

namespace H2.Net.Logging;

/// <summary>
/// Every message H2.Net writes, with its event id and template (source-generated: nothing is
/// formatted when the level is off). Ids 1–2 are the core's frames and connection events
/// (<see cref="Extensions.Logging.H2LoggerAdapter"/>); the server's are 100–199, the client's 200–299.
/// </summary>
internal static partial class NetLog
{
    /// <summary>The category of the server's messages.</summary>
    public const string ServerCategory = "H2Sharp.Net.Server";

    /// <summary>The category of the client's messages.</summary>
    public const string ClientCategory = "H2Sharp.Net.Client";

    /// <summary>The category of the core's frame and connection messages.</summary>
    public const string FrameCategory = "H2Sharp.Frames";

    private static long s_lastConnectionId;

    /// <summary>A process-wide identifier for a new connection, as log scopes and frame messages carry it.</summary>
    public static long NextConnectionId() => Interlocked.Increment(ref s_lastConnectionId);

    [LoggerMessage(100, LogLevel.Debug, "Connection {ConnectionId} from {RemoteEndPoint} began HTTP/2")]
    public static partial void ConnectionStarted(ILogger logger, long connectionId, EndPoint? remoteEndPoint);

    [LoggerMessage(101, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(ILogger logger, long connectionId);

    [LoggerMessage(102, LogLevel.Information, "Connection from {RemoteEndPoint} failed before HTTP/2 began: {Reason}")]
    public static partial void ConnectionFailedEarly(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(103, LogLevel.Information, "Connection {ConnectionId} from {RemoteEndPoint} ended with a connection error {ErrorCode}: {Reason}")]
    public static partial void ConnectionError(ILogger logger, long connectionId, EndPoint? remoteEndPoint, ErrorCode errorCode, string reason);

    [LoggerMessage(104, LogLevel.Error, "The handler failed on stream {StreamId} of connection {ConnectionId}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, long connectionId, int streamId);

    [LoggerMessage(105, LogLevel.Information, "Resetting stream {StreamId} of connection {ConnectionId}: {Reason}")]
    public static partial void SlowStreamReset(ILogger logger, long connectionId, int streamId, string reason);

    [LoggerMessage(106, LogLevel.Information, "Closing connection {ConnectionId}: its {What} stayed incomplete too long")]
    public static partial void SlowPeerClosed(ILogger logger, long connectionId, string what);

    [LoggerMessage(107, LogLevel.Information, "Closing connection {ConnectionId}: no HTTP/2 preface in time")]
    public static partial void HandshakeTimedOut(ILogger logger, long connectionId);

    [LoggerMessage(108, LogLevel.Warning, "{MaxConnections} connections are open (MaxConnections); new ones wait until one closes")]
    public static partial void ConnectionLimitReached(ILogger logger, int maxConnections);

    [LoggerMessage(109, LogLevel.Warning, "Accepting a connection failed ({SocketError}: {Reason}); trying again in {BackOffMilliseconds} ms")]
    public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError socketError, string reason, double backOffMilliseconds);

    [LoggerMessage(110, LogLevel.Debug, "TLS handshake with {RemoteEndPoint} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(111, LogLevel.Debug, "Refusing an HTTP/1.1 request from {RemoteEndPoint} with {Status}: {Reason}")]
    public static partial void Http11Refused(ILogger logger, EndPoint? remoteEndPoint, int status, string reason);

    [LoggerMessage(112, LogLevel.Debug, "Refusing an upgrade from {RemoteEndPoint} with a bad HTTP2-Settings header: {Reason}")]
    public static partial void BadHttp2Settings(ILogger logger, EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(200, LogLevel.Debug, "Connection {ConnectionId} to {Authority} began HTTP/2")]
    public static partial void ClientConnected(ILogger logger, long connectionId, string authority);

    [LoggerMessage(201, LogLevel.Debug, "Connection {ConnectionId}: the server sent GOAWAY {ErrorCode} (last stream {LastStreamId})")]
    public static partial void GoAwayReceived(ILogger logger, long connectionId, ErrorCode errorCode, int lastStreamId);

    [LoggerMessage(202, LogLevel.Information, "Connection {ConnectionId}: resetting stream {StreamId}: {Reason}")]
    public static partial void ClientStreamTimedOut(ILogger logger, long connectionId, int streamId, string reason);

    [LoggerMessage(203, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void ClientConnectionClosed(ILogger logger, long connectionId, Exception? exception);
}
