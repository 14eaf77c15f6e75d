namespace H2.Connection;

/// <summary>
/// The connection's messages to an <see cref="IH2Logger"/>: frames at Trace, connection events at
/// Debug. Made only when a logger is configured, so call sites write <c>log?.Trace($"…")</c> and
/// build no message when there is none.
/// </summary>
internal sealed class ConnectionLog(IH2Logger logger)
{
    public static ConnectionLog? For(IH2Logger? logger) => logger is null ? null : new ConnectionLog(logger);

    public void Trace(string message)
    {
        if (logger.IsEnabled(H2LogLevel.Trace))
        {
            logger.Log(H2LogLevel.Trace, message);
        }
    }

    public void Debug(string message)
    {
        if (logger.IsEnabled(H2LogLevel.Debug))
        {
            logger.Log(H2LogLevel.Debug, message);
        }
    }
}
