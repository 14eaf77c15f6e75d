using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using H2.Frames;

namespace H2.Fuzz;

/// <summary>
/// Writes a starting corpus for one target from the repository's test vectors and from recorded
/// conversations: small files (afl-fuzz slows down on large ones), deduplicated, a bounded number.
/// </summary>
internal static class SeedBuilder
{
    // afl-fuzz advises seeds under 10 KB; longer streams are cut (the cut tail is not lost to the
    // fuzzer: it can grow inputs back).
    private const int MaxSeedSize = 8 * 1024;

    /// <summary>Builds the seeds; returns how many files were written.</summary>
    public static int Build(string target, string testData, string outDir, int maxSeeds)
    {
        // Seeds made here come first; the test vectors fill the rest, sampled evenly when too many.
        var made = new List<(string Name, byte[] Bytes)>();
        var vectors = new List<(string Name, byte[] Bytes)>();
        switch (target)
        {
            case "frame-reader":
                vectors.AddRange(FrameVectors(testData).Select(v => (v.Name, Prefix(0, v.Wire))));
                vectors.AddRange(ClientStreams(testData).Select(v => (v.Name, Prefix(0x40, v.Bytes))));
                vectors.AddRange(ClientStreams(testData).Take(20).Select(v => (v.Name + "-c7", Prefix(0xC7, v.Bytes))));
                break;
            case "hpack":
                vectors.AddRange(HpackStories(testData));
                break;
            case "server":
                foreach ((string name, Conversation conversation) in Conversations())
                {
                    made.Add(("conversation-" + name, Prefix(0, conversation.ClientBytes)));
                    made.Add(("conversation-" + name + "-c45", Prefix(0x45, conversation.ClientBytes)));
                }

                vectors.AddRange(ClientStreams(testData).Select(v => (v.Name, Prefix(0, v.Bytes))));
                vectors.AddRange(ClientStreams(testData).Take(20).Select(v => (v.Name + "-c1", Prefix(1, v.Bytes))));
                break;
            case "client":
                foreach ((string name, Conversation conversation) in Conversations())
                {
                    made.Add(("conversation-" + name, Prefix(0, conversation.ServerBytes)));
                    made.Add(("conversation-" + name + "-c3", Prefix(3, conversation.ServerBytes)));
                }

                // Each frame vector after the SETTINGS frame that opens a server's side.
                byte[] settings = EmptySettingsFrame();
                vectors.AddRange(FrameVectors(testData).Select(v => (v.Name, Prefix(0, [.. settings, .. v.Wire]))));
                break;
            default:
                throw new ArgumentException($"Unknown target '{target}'; targets are {Targets.Names}.", nameof(target));
        }

        Directory.CreateDirectory(outDir);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int written = 0;
        foreach ((string name, byte[] bytes) in made.Concat(Sample(vectors, Math.Max(0, maxSeeds - made.Count))))
        {
            byte[] seed = bytes.Length > MaxSeedSize ? bytes[..MaxSeedSize] : bytes;
            string hash = Convert.ToHexStringLower(SHA256.HashData(seed));
            if (written < maxSeeds && seen.Add(hash))
            {
                File.WriteAllBytes(Path.Combine(outDir, $"{Sanitize(name)}-{hash[..12]}"), seed);
                written++;
            }
        }

        return written;
    }

    // A script that fails part way still yields what it sent until then; the failure is shown
    // because it means the script, not the fuzz target, needs fixing.
    private static IEnumerable<(string Name, Conversation Recorded)> Conversations()
    {
        foreach ((string name, Conversation conversation, Exception? error) in Conversation.RecordAll())
        {
            if (error is not null)
            {
                Console.Error.WriteLine($"warning: conversation '{name}' stopped early: {error.Message}");
            }

            yield return (name, conversation);
        }
    }

    private static byte[] Prefix(byte control, byte[] payload) => [control, .. payload];

    private static IEnumerable<(string Name, byte[] Bytes)> Sample(List<(string Name, byte[] Bytes)> items, int count)
    {
        if (items.Count <= count)
        {
            return items;
        }

        return Enumerable.Range(0, count).Select(i => items[(int)((long)i * items.Count / count)]);
    }

    private static string Sanitize(string name) =>
        new([.. name.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_')]);

    private static IEnumerable<string> JsonFiles(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            : [];

    private static string VectorName(string root, string file) =>
        Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '_').Replace(".json", "", StringComparison.Ordinal);

    /// <summary>The "wire" of each http2-frame-test-case vector: one frame, valid or not.</summary>
    private static IEnumerable<(string Name, byte[] Wire)> FrameVectors(string testData)
    {
        string root = Path.Combine(testData, "http2-frame-test-case");
        foreach (string file in JsonFiles(root))
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(file));
            if (json.RootElement.TryGetProperty("wire", out JsonElement wire) && wire.GetString() is { } hex)
            {
                yield return ("frame-" + VectorName(root, file), Convert.FromHexString(hex));
            }
        }
    }

    /// <summary>The nghttp2 fuzz corpus: what clients (h2spec, nghttp) sent to a server, preface first.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> ClientStreams(string testData)
    {
        string root = Path.Combine(testData, "nghttp2-fuzz-corpus");
        if (!Directory.Exists(root))
        {
            yield break;
        }

        foreach (string folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
            {
                yield return ($"nghttp2-{Path.GetFileName(folder)}-{Path.GetFileName(file)[..12]}", File.ReadAllBytes(file));
            }
        }
    }

    /// <summary>Each hpack-test-case story as one input of HpackTarget records, blocks in order.</summary>
    private static IEnumerable<(string Name, byte[] Bytes)> HpackStories(string testData)
    {
        string root = Path.Combine(testData, "hpack-test-case");
        foreach (string file in JsonFiles(root))
        {
            using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!json.RootElement.TryGetProperty("cases", out JsonElement cases))
            {
                continue;
            }

            var seed = new List<byte> { 0 };
            foreach (JsonElement @case in cases.EnumerateArray())
            {
                if (!@case.TryGetProperty("wire", out JsonElement wire) || wire.GetString() is not { } hex)
                {
                    continue;
                }

                byte[] block = Convert.FromHexString(hex);
                if (block.Length > 0x7FFF || seed.Count + 2 + block.Length > MaxSeedSize)
                {
                    break;
                }

                seed.Add((byte)(block.Length >> 8));
                seed.Add((byte)block.Length);
                seed.AddRange(block);
            }

            if (seed.Count > 1)
            {
                yield return ("hpack-" + VectorName(root, file), [.. seed]);
            }
        }
    }

    private static byte[] EmptySettingsFrame()
    {
        var writer = new ArrayBufferWriter<byte>();
        SettingsFrame.Write(writer, []);
        return writer.WrittenSpan.ToArray();
    }
}
