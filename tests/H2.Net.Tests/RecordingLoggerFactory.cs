using Microsoft.Extensions.Logging;

namespace H2.Net.Tests;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every message, with its category, level, event, exception and the scopes it was written in.</summary>
internal sealed class RecordingLoggerFactory(LogLevel minimum = LogLevel.Trace) : ILoggerFactory
{
    private readonly AsyncLocal<ScopeNode?> _scopes = new();

    public LogLevel Minimum { get; } = minimum;

    public List<Entry> Entries { get; } = [];

    public Entry[] Snapshot()
    {
        lock (Entries)
        {
            return [.. Entries];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    internal sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<object> Scopes, IReadOnlyList<KeyValuePair<string, object?>> State);

    private sealed record ScopeNode(object State, ScopeNode? Parent);

    private sealed class Logger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            ScopeNode? parent = factory._scopes.Value;
            factory._scopes.Value = new ScopeNode(state, parent);
            return new Pop(factory, parent);
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var scopes = new List<object>();
            for (ScopeNode? node = factory._scopes.Value; node is not null; node = node.Parent)
            {
                scopes.Add(node.State);
            }

            IReadOnlyList<KeyValuePair<string, object?>> properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            lock (factory.Entries)
            {
                factory.Entries.Add(new Entry(category, logLevel, eventId, formatter(state, exception), exception, scopes, properties));
            }
        }
    }

    private sealed class Pop(RecordingLoggerFactory factory, ScopeNode? parent) : IDisposable
    {
        public void Dispose() => factory._scopes.Value = parent;
    }
}
