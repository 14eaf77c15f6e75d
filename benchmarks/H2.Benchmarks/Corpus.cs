using H2.Tests.Hpack;

namespace H2.Benchmarks;

/// <summary>The hpack-test-case stories, loaded once per process with the test suite's loader.</summary>
internal static class Corpus
{
    /// <summary>Every encoded story (wire blocks and their header_table_size changes), by implementation.</summary>
    public static IReadOnlyList<HpackStory> EncodedStories { get; } = Load(encoded: true);

    /// <summary>The raw-data stories: header lists only, for encoding.</summary>
    public static IReadOnlyList<HpackStory> RawStories { get; } = Load(encoded: false);

    private static HpackStory[] Load(bool encoded) =>
    [
        .. HpackStory.Folders()
            .Where(folder => (folder == "raw-data") != encoded)
            .SelectMany(HpackStory.Files)
            .Select(HpackStory.Load),
    ];
}
