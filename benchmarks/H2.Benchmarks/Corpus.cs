using System.Text;
using System.Text.Json;
using H2.Hpack;

namespace H2.Benchmarks;

/// <summary>The hpack-test-case stories, loaded once per process.</summary>
internal static class Corpus
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>Every encoded story (wire blocks and their header_table_size changes), by implementation.</summary>
    public static IReadOnlyList<Story> EncodedStories { get; } = LoadStories(encoded: true);

    /// <summary>The raw-data stories: header lists only, for encoding.</summary>
    public static IReadOnlyList<Story> RawStories { get; } = LoadStories(encoded: false);

    public static string PathOf(params string[] parts) => Path.Combine([s_root.Value, .. parts]);

    private static List<Story> LoadStories(bool encoded)
    {
        var stories = new List<Story>();
        foreach (string folder in Directory.GetDirectories(PathOf("hpack-test-case")).Order(StringComparer.Ordinal))
        {
            if ((Path.GetFileName(folder) == "raw-data") == encoded)
            {
                continue;
            }

            foreach (string file in Directory.GetFiles(folder, "story_*.json").Order(StringComparer.Ordinal))
            {
                stories.Add(Load(file));
            }
        }

        return stories;
    }

    private static Story Load(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<StoryCase>();
        foreach (JsonElement item in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            int? size = item.TryGetProperty("header_table_size", out JsonElement s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;
            byte[] wire = item.TryGetProperty("wire", out JsonElement w) ? Convert.FromHexString(w.GetString()!) : [];
            var headers = new List<HeaderField>();
            foreach (JsonElement header in item.GetProperty("headers").EnumerateArray())
            {
                foreach (JsonProperty pair in header.EnumerateObject())
                {
                    headers.Add(new HeaderField(Octets(pair.Name), Octets(pair.Value.GetString()!)));
                }
            }

            cases.Add(new StoryCase(size, wire, [.. headers]));
        }

        return new Story(cases);
    }

    private static string Octets(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "testdata");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/testdata not found above " + AppContext.BaseDirectory);
    }
}

internal sealed record Story(IReadOnlyList<StoryCase> Cases);

internal sealed record StoryCase(int? HeaderTableSize, byte[] Wire, HeaderField[] Headers);
