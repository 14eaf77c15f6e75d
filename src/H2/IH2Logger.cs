namespace H2;

/// <summary>
/// The logging hook of <see cref="H2Configuration.Logger"/>. Keeps the core free of dependencies:
/// an adapter to <c>Microsoft.Extensions.Logging</c> or anything else implements these two
/// methods. When no logger is set, logging costs one null check and no message is built.
/// </summary>
public interface IH2Logger
{
    /// <summary>Whether messages of this level are wanted; checked before a message is built.</summary>
    /// <param name="level">The level.</param>
    /// <returns><see langword="true"/> to receive such messages.</returns>
    bool IsEnabled(H2LogLevel level);

    /// <summary>Receives one message.</summary>
    /// <param name="level">The level.</param>
    /// <param name="message">The text.</param>
    void Log(H2LogLevel level, string message);
}
