using H2.Hpack;

namespace H2.Tests.Hpack;

/// <summary>
/// The public hpack-test-case corpus (tests/testdata/hpack-test-case): blocks from many encoders,
/// each story sharing one compression context.
/// </summary>
public class HpackCorpusTests
{
    public static TheoryData<string> EncodedStories()
    {
        var data = new TheoryData<string>();
        foreach (string folder in HpackStory.Folders().Where(f => f != "raw-data"))
        {
            foreach (string file in HpackStory.Files(folder))
            {
                data.Add(Path.GetRelativePath(TestData.PathOf("hpack-test-case"), file));
            }
        }

        return data;
    }

    public static TheoryData<string> RawStories()
    {
        var data = new TheoryData<string>();
        foreach (string file in HpackStory.Files("raw-data"))
        {
            data.Add(Path.GetRelativePath(TestData.PathOf("hpack-test-case"), file));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasEveryImplementationFolder()
    {
        Assert.Equal(15, HpackStory.Folders().Count());
        Assert.Equal(478, HpackStory.Folders().Sum(f => HpackStory.Files(f).Count()));
    }

    [Theory]
    [MemberData(nameof(EncodedStories))]
    public void EveryCase_DecodesToItsHeaders(string story)
    {
        HpackStory loaded = HpackStory.Load(TestData.PathOf("hpack-test-case", story));
        var decoder = new HpackDecoder();
        foreach (HpackStoryCase item in loaded.Cases)
        {
            if (item.HeaderTableSize is int size)
            {
                decoder.MaxAllowedTableSize = size;
            }

            IReadOnlyList<HeaderField> decoded = decoder.Decode(item.Wire);
            Assert.Equal(item.Headers, decoded.Select(f => f with { Sensitive = false }));
        }
    }

    [Theory]
    [MemberData(nameof(RawStories))]
    public void RawStories_EncodedByUs_DecodeToTheSameHeaders(string story)
    {
        HpackStory loaded = HpackStory.Load(TestData.PathOf("hpack-test-case", story));
        foreach (int tableSize in new[] { 4096, 256, 0, 16384 })
        {
            var encoder = new HpackEncoder { HeaderTableSize = tableSize };
            var decoder = new HpackDecoder { MaxAllowedTableSize = Math.Max(tableSize, 4096) };
            long wireBytes = 0;
            foreach (HpackStoryCase item in loaded.Cases)
            {
                byte[] block = encoder.Encode(item.Headers);
                wireBytes += block.Length;
                Assert.Equal(item.Headers, decoder.Decode(block).Select(f => f with { Sensitive = false }));
                Assert.Equal(encoder.DynamicTableSize, decoder.DynamicTableSize);
                Assert.Equal(encoder.DynamicTableCount, decoder.DynamicTableCount);
            }

            Assert.True(wireBytes > 0);
        }
    }
}
