namespace H2.Fuzz;

/// <summary>The fuzz targets by name; each takes one raw input and may throw only H2Exception.</summary>
internal static class Targets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["frame-reader"] = FrameReaderTarget.Run,
        ["hpack"] = HpackTarget.Run,
        ["server"] = ConnectionTarget.RunServer,
        ["client"] = ConnectionTarget.RunClient,
    };

    public static string Names => string.Join(", ", All.Keys);
}
