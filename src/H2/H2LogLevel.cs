namespace H2;

/// <summary>How detailed a log message from <see cref="H2Connection"/> is.</summary>
public enum H2LogLevel
{
    /// <summary>Every frame sent and received.</summary>
    Trace,

    /// <summary>Connection and stream events: settings, resets, GOAWAY, errors.</summary>
    Debug,
}
