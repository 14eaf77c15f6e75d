using BenchmarkDotNet.Attributes;
using H2.Hpack;
using H2.Tests.Hpack;

namespace H2.Benchmarks;

/// <summary>
/// HPACK over the hpack-test-case corpus: decoding every encoded story (14 encoders, 46,728
/// blocks) and encoding every raw-data story; and one typical request, warm tables.
/// </summary>
[MemoryDiagnoser]
public class HpackBenchmarks
{
    private readonly List<HeaderField> _fields = new(64);
    private HpackEncoder _requestEncoder = null!;
    private HpackDecoder _requestDecoder = null!;
    private byte[] _requestBlock = [];

    /// <summary>A browser-like GET: eight fields, as the performance targets count them.</summary>
    internal static readonly HeaderField[] Request =
    [
        (":method", "GET"),
        (":scheme", "https"),
        (":authority", "www.example.com"),
        (":path", "/index.html"),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) H2Sharp-Benchmark/1.0"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("accept-encoding", "gzip, deflate, br"),
        ("accept-language", "en-US,en;q=0.5"),
    ];

    /// <summary>Wire octets decoded by one <see cref="DecodeCorpus"/>.</summary>
    public static long CorpusWireBytes { get; } = Corpus.EncodedStories.Sum(s => s.Cases.Sum(c => (long)c.Wire!.Length));

    /// <summary>Header fields decoded by one <see cref="DecodeCorpus"/>.</summary>
    public static long CorpusHeaders { get; } = Corpus.EncodedStories.Sum(s => s.Cases.Sum(c => (long)c.Headers.Count));

    /// <summary>Octets of names and values encoded by one <see cref="EncodeCorpus"/>.</summary>
    public static long RawTextBytes { get; } = Corpus.RawStories.Sum(s => s.Cases.Sum(c => c.Headers.Sum(h => (long)h.Name.Length + h.Value.Length)));

    [GlobalSetup]
    public void Setup()
    {
        _requestEncoder = new HpackEncoder();
        _requestDecoder = new HpackDecoder();
        _requestBlock = _requestEncoder.Encode(Request);
        _requestDecoder.Decode(_requestBlock);
    }

    [Benchmark(Description = "HPACK decode corpus")]
    public int DecodeCorpus()
    {
        int fields = 0;
        foreach (HpackStory story in Corpus.EncodedStories)
        {
            var decoder = new HpackDecoder();
            foreach (HpackStoryCase item in story.Cases)
            {
                if (item.HeaderTableSize is int size)
                {
                    decoder.MaxAllowedTableSize = size;
                }

                _fields.Clear();
                decoder.Decode(item.Wire, _fields);
                fields += _fields.Count;
            }
        }

        return fields;
    }

    [Benchmark(Description = "HPACK encode corpus")]
    public long EncodeCorpus()
    {
        long octets = 0;
        var writer = new System.Buffers.ArrayBufferWriter<byte>(1 << 16);
        foreach (HpackStory story in Corpus.RawStories)
        {
            var encoder = new HpackEncoder();
            foreach (HpackStoryCase item in story.Cases)
            {
                writer.ResetWrittenCount();
                encoder.Encode(item.Headers, writer);
                octets += writer.WrittenCount;
            }
        }

        return octets;
    }

    [Benchmark(Description = "HPACK encode+decode 8-field request (warm)")]
    public int EncodeDecodeRequest()
    {
        byte[] block = _requestEncoder.Encode(Request);
        _fields.Clear();
        _requestDecoder.Decode(block, _fields);
        return _fields.Count;
    }
}
