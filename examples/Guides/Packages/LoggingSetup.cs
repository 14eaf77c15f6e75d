using H2;
using H2.Extensions.Logging;
using Microsoft.Extensions.Logging;

namespace H2.Guides.Packages;

public static class LoggingSetup
{
    /// <summary>A server connection whose frames and events go to the given logger factory.</summary>
    public static H2Connection NewLoggedServer(ILoggerFactory factory) =>
        new(new H2Configuration { ClientSide = false, Logger = factory.CreateH2Logger() });
}
