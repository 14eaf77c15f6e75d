using System.Text;
using System.Text.Json;
using H2.Hpack;

namespace H2.Tests.Hpack;

/// <summary>One story of the hpack-test-case corpus: a sequence of header blocks sharing one compression context.</summary>
internal sealed record HpackStory(string Name, IReadOnlyList<HpackStoryCase> Cases)
{
    public static IEnumerable<string> Folders() =>
        Directory.GetDirectories(TestData.PathOf("hpack-test-case")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(TestData.PathOf("hpack-test-case", folder), "story_*.json").Order(StringComparer.Ordinal);

    public static HpackStory Load(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(path));
        var cases = new List<HpackStoryCase>();
        foreach (JsonElement item in json.RootElement.GetProperty("cases").EnumerateArray())
        {
            int? tableSize = item.TryGetProperty("header_table_size", out JsonElement size) && size.ValueKind == JsonValueKind.Number
                ? size.GetInt32()
                : null;
            byte[]? wire = item.TryGetProperty("wire", out JsonElement hex) ? Convert.FromHexString(hex.GetString()!) : null;
            var headers = new List<HeaderField>();
            foreach (JsonElement header in item.GetProperty("headers").EnumerateArray())
            {
                foreach (JsonProperty pair in header.EnumerateObject())
                {
                    headers.Add(new HeaderField(ToOctets(pair.Name), ToOctets(pair.Value.GetString()!)));
                }
            }

            cases.Add(new HpackStoryCase(tableSize, wire, headers));
        }

        return new HpackStory(Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path), cases);
    }

    // The corpus stores text as JSON (UTF-8) strings; the wire carries its UTF-8 octets.
    private static string ToOctets(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
}

internal sealed record HpackStoryCase(int? HeaderTableSize, byte[]? Wire, IReadOnlyList<HeaderField> Headers);
