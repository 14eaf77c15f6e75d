using Microsoft.Extensions.Logging;

namespace H2.Extensions.Logging;

/// <summary>Shortcuts from <c>Microsoft.Extensions.Logging</c> to H2Sharp's logging hooks.</summary>
public static class H2LoggingExtensions
{
    /// <summary>The default category of H2Sharp's messages.</summary>
    public const string Category = "H2Sharp";

    /// <summary>An <see cref="IH2Logger"/> for <see cref="H2Configuration.Logger"/>, writing to this logger.</summary>
    /// <param name="logger">The logger.</param>
    /// <returns>The adapter.</returns>
    public static IH2Logger ToH2Logger(this ILogger logger) => new H2LoggerAdapter(logger);

    /// <summary>An <see cref="IH2Logger"/> writing to a logger of the given category.</summary>
    /// <param name="factory">The logger factory.</param>
    /// <param name="category">The category; <see cref="Category"/> by default.</param>
    /// <returns>The adapter.</returns>
    public static IH2Logger CreateH2Logger(this ILoggerFactory factory, string category = Category)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new H2LoggerAdapter(factory.CreateLogger(category));
    }
}
