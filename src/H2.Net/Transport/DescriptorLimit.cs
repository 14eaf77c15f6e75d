using System.Globalization;

namespace H2.Net.Transport;

/// <summary>The process's limit on open file descriptors, which bounds how many sockets it can hold.</summary>
internal static class DescriptorLimit
{
    /// <summary>Used where the limit cannot be read.</summary>
    private const int Fallback = 10_000;

    /// <summary>
    /// How many connections a server may hold by default: the descriptor limit less those the
    /// process holds already (the runtime keeps its assemblies open, some 80 descriptors) and a
    /// reserve for what it opens later (assemblies loaded on first use, files, logs, the TLS
    /// stack), so that a flood of connections never leaves the runtime itself without one.
    /// </summary>
    public static int DefaultMaxConnections { get; } = FromLimit(ReadSoftLimit(), CountOpen());

    /// <summary>The limit less those open and a reserve of an eighth of it (at least 64).</summary>
    internal static int FromLimit(long? limit, int open) =>
        limit is long value ? (int)Math.Clamp(value - open - Math.Max(64, value / 8), 1, int.MaxValue) : Fallback;

    /// <summary>How many descriptors the process has open (Linux: the entries of /proc/self/fd), or 0.</summary>
    private static int CountOpen()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The soft RLIMIT_NOFILE from /proc/self/limits (Linux), or <see langword="null"/>.</summary>
    private static long? ReadSoftLimit()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/limits"))
            {
                // "Max open files            1048576              1048576              files"
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    string[] parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long soft) ? soft : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }
}
