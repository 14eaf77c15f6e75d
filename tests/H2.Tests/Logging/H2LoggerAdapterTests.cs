using H2.Extensions.Logging;
using H2.Tests.Connection;
using Microsoft.Extensions.Logging;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Logging;

public class H2LoggerAdapterTests
{
    [Fact]
    public void FramesGoToTrace_AndConnectionEventsToDebug()
    {
        var sink = new ListLogger(LogLevel.Trace);
        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, Logger = sink.ToH2Logger() });
        pair.Client.SendHeaders(1, Post(), endStream: true);
        pair.Exchange();
        pair.Client.ResetStream(1, ErrorCode.Cancel);
        pair.Exchange();

        Assert.Contains(sink.Entries, e => e.Level == LogLevel.Trace && e.Id == H2LoggerAdapter.FrameEvent && e.Message.Contains("HEADERS", StringComparison.Ordinal));
        Assert.All(sink.Entries.Where(e => e.Level == LogLevel.Trace), e => Assert.Equal(H2LoggerAdapter.FrameEvent, e.Id));
        Assert.All(sink.Entries.Where(e => e.Level == LogLevel.Debug), e => Assert.Equal(H2LoggerAdapter.ConnectionEvent, e.Id));
        Assert.All(sink.Entries, e => Assert.True(e.Level is LogLevel.Trace or LogLevel.Debug));
    }

    [Fact]
    public void LevelsTheLoggerDoesNotWant_AreNotBuiltOrWritten()
    {
        var sink = new ListLogger(LogLevel.Information);
        IH2Logger adapter = sink.ToH2Logger();
        Assert.False(adapter.IsEnabled(H2LogLevel.Trace));
        Assert.False(adapter.IsEnabled(H2LogLevel.Debug));

        var pair = new ConnectionPair(new H2Configuration { ClientSide = true, Logger = adapter });
        pair.Client.SendHeaders(1, Post(), endStream: true);
        pair.Exchange();

        Assert.Empty(sink.Entries);
    }

    [Fact]
    public void DebugOnly_GetsEventsButNoFrames()
    {
        var sink = new ListLogger(LogLevel.Debug);
        IH2Logger adapter = sink.ToH2Logger();
        Assert.False(adapter.IsEnabled(H2LogLevel.Trace));
        Assert.True(adapter.IsEnabled(H2LogLevel.Debug));
        adapter.Log(H2LogLevel.Debug, "GOAWAY sent");

        (LogLevel level, EventId id, string message) = Assert.Single(sink.Entries);
        Assert.Equal((LogLevel.Debug, H2LoggerAdapter.ConnectionEvent, "GOAWAY sent"), (level, id, message));
    }

    [Fact]
    public void CreateH2Logger_UsesTheH2SharpCategoryUnlessTold()
    {
        var factory = new ListLoggerFactory();
        factory.CreateH2Logger().Log(H2LogLevel.Debug, "one");
        factory.CreateH2Logger("Mine").Log(H2LogLevel.Debug, "two");

        Assert.Equal(["H2Sharp", "Mine"], factory.Categories);
    }

    [Fact]
    public void AdapterForAConnection_TagsEveryMessageWithIt()
    {
        var sink = new ListLogger(LogLevel.Trace);
        var adapter = new H2LoggerAdapter(sink, connectionId: 42);

        adapter.Log(H2LogLevel.Trace, "received PING");
        adapter.Log(H2LogLevel.Debug, "GOAWAY sent");

        Assert.Equal(
            [(LogLevel.Trace, "connection 42: received PING"), (LogLevel.Debug, "connection 42: GOAWAY sent")],
            sink.Entries.Select(e => (e.Level, e.Message)));
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new H2LoggerAdapter(null!));
        Assert.Throws<ArgumentNullException>(() => ((ILoggerFactory)null!).CreateH2Logger());
    }

    private sealed class ListLogger(LogLevel minimum) : ILogger
    {
        public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Entries.Add((logLevel, eventId, formatter(state, exception)));
            }
        }
    }

    private sealed class ListLoggerFactory : ILoggerFactory
    {
        public List<string> Categories { get; } = [];

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName)
        {
            Categories.Add(categoryName);
            return new ListLogger(LogLevel.Trace);
        }

        public void Dispose()
        {
        }
    }
}
