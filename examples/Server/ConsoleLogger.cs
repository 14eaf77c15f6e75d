using H2;

namespace H2.Examples.Server;

/// <summary>The core's logging hook, printing frames (Trace) and connection events (Debug) for --verbose.</summary>
internal sealed class ConsoleLogger : IH2Logger
{
    public bool IsEnabled(H2LogLevel level) => true;

    public void Log(H2LogLevel level, string message) => Console.WriteLine($"[h2 {(level == H2LogLevel.Trace ? "frame" : "event")}] {message}");
}
