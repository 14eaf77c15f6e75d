using H2.Extensions.Logging;
using Microsoft.Extensions.Logging;

namespace H2.Net.Logging;

/// <summary>Gives each connection a frame logger of its own, tagging the core's messages with the connection's identifier.</summary>
internal static class FrameLogging
{
    /// <summary>
    /// The configuration a connection is made with: as given, or, when <paramref name="factory"/>
    /// has Trace or Debug on for <see cref="NetLog.FrameCategory"/> and the configuration sets no
    /// logger, a copy logging there. The level is looked at once per connection, so a connection
    /// whose frames nobody wants builds no messages.
    /// </summary>
    public static H2Configuration Configure(H2Configuration config, ILoggerFactory? factory, long connectionId)
    {
        if (factory is null || config.Logger is not null)
        {
            return config;
        }

        ILogger frames = factory.CreateLogger(NetLog.FrameCategory);
        return frames.IsEnabled(LogLevel.Debug) ? config.WithLogger(new H2LoggerAdapter(frames, connectionId)) : config;
    }
}
