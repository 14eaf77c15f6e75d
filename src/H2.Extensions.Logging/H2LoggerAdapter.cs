using Microsoft.Extensions.Logging;

namespace H2.Extensions.Logging;

/// <summary>
/// An <see cref="IH2Logger"/> that writes to an <see cref="ILogger"/>: every frame sent and
/// received at <see cref="LogLevel.Trace"/>, connection and stream events (settings, resets,
/// GOAWAY, errors) at <see cref="LogLevel.Debug"/>. Set it as <see cref="H2Configuration.Logger"/>.
/// </summary>
public sealed class H2LoggerAdapter : IH2Logger
{
    /// <summary>The event of a frame message.</summary>
    public static readonly EventId FrameEvent = new(1, "H2Frame");

    /// <summary>The event of a connection or stream message.</summary>
    public static readonly EventId ConnectionEvent = new(2, "H2Connection");

    private static readonly Func<string, Exception?, string> s_format = static (text, _) => text;

    // With a connection: the message as a value of a template, so that the connection can be
    // told apart in text and filtered on in structured sinks.
    private static readonly Action<ILogger, long, string, Exception?> s_frame =
        LoggerMessage.Define<long, string>(LogLevel.Trace, FrameEvent, "connection {ConnectionId}: {Message}", new LogDefineOptions { SkipEnabledCheck = true });

    private static readonly Action<ILogger, long, string, Exception?> s_connection =
        LoggerMessage.Define<long, string>(LogLevel.Debug, ConnectionEvent, "connection {ConnectionId}: {Message}", new LogDefineOptions { SkipEnabledCheck = true });

    private readonly ILogger _logger;
    private readonly long? _connectionId;

    /// <summary>Wraps a logger.</summary>
    /// <param name="logger">Where the messages go.</param>
    public H2LoggerAdapter(ILogger logger)
        : this(logger, null)
    {
    }

    /// <summary>Wraps a logger for one connection: every message carries <paramref name="connectionId"/> (as <c>ConnectionId</c>).</summary>
    /// <param name="logger">Where the messages go.</param>
    /// <param name="connectionId">The connection's identifier, or <see langword="null"/> for none.</param>
    public H2LoggerAdapter(ILogger logger, long? connectionId)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        _connectionId = connectionId;
    }

    /// <inheritdoc/>
    public bool IsEnabled(H2LogLevel level) => _logger.IsEnabled(ToLogLevel(level));

    /// <inheritdoc/>
    public void Log(H2LogLevel level, string message)
    {
        // The core asks IsEnabled before it builds a message, so the message is wanted here.
        if (_connectionId is long id)
        {
            (level == H2LogLevel.Trace ? s_frame : s_connection)(_logger, id, message, null);
            return;
        }

        LogLevel logLevel = ToLogLevel(level);
        EventId eventId = level == H2LogLevel.Trace ? FrameEvent : ConnectionEvent;
        _logger.Log(logLevel, eventId, message, null, s_format);
    }

    /// <summary>The <see cref="LogLevel"/> a core level is written at.</summary>
    /// <param name="level">The core's level.</param>
    /// <returns><see cref="LogLevel.Trace"/> for frames, <see cref="LogLevel.Debug"/> for events.</returns>
    public static LogLevel ToLogLevel(H2LogLevel level) => level == H2LogLevel.Trace ? LogLevel.Trace : LogLevel.Debug;
}
