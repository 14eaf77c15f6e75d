using CsCheck;
using H2.Hpack;

namespace H2.Tests.Hpack;

/// <summary>Random header lists, table sizes and inputs (CsCheck).</summary>
public class HpackPropertyTests
{
    private static readonly string[] s_names =
        [":method", ":path", ":authority", ":status", "accept", "cookie", "authorization", "user-agent", "x-a", "x-b", "set-cookie", "content-length"];

    private static readonly Gen<string> s_text = Gen.OneOf(
        Gen.Char['a', 'z'].Array[0, 12].Select(c => new string(c)),
        Gen.Char['\0', '\u00ff'].Array[0, 40].Select(c => new string(c)),
        Gen.OneOf<string>("GET", "/", "200", "gzip, deflate", "", "www.example.com"));

    private static readonly Gen<HeaderField> s_field = Gen.Select(
        Gen.OneOf(Gen.OneOf(s_names), s_text),
        s_text,
        Gen.Int[0, 9],
        (name, value, sensitive) => new HeaderField(name, value, sensitive == 0));

    private static readonly Gen<(int? TableSize, HeaderField[] Fields)[]> s_blocks = Gen.Select(
        Gen.Int[0, 5].Select(n => n == 0 ? (int?)Gen.Int[0, 5000].Single() : null),
        s_field.Array[0, 12],
        (size, fields) => (size, fields)).Array[1, 12];

    [Fact]
    public void EncodeThenDecode_IsTheIdentity_AndTablesStayInStep()
    {
        Gen.Select(s_blocks, Gen.Enum<HpackIndexingPolicy>(), Gen.Enum<HpackHuffmanMode>()).Sample((blocks, policy, huffman) =>
        {
            var encoder = new HpackEncoder { IndexingPolicy = policy, HuffmanMode = huffman };
            var decoder = new HpackDecoder { MaxAllowedTableSize = 8192, MaxHeaderListSize = int.MaxValue };
            foreach (var (tableSize, fields) in blocks)
            {
                if (tableSize is int size)
                {
                    encoder.HeaderTableSize = size;
                }

                IReadOnlyList<HeaderField> decoded = decoder.Decode(encoder.Encode(fields));
                Assert.Equal(fields.Length, decoded.Count);
                for (int i = 0; i < fields.Length; i++)
                {
                    Assert.Equal(fields[i].Name, decoded[i].Name);
                    Assert.Equal(fields[i].Value, decoded[i].Value);
                    Assert.True(!fields[i].Sensitive || decoded[i].Sensitive);
                }

                Assert.Equal(encoder.DynamicTableSize, decoder.DynamicTableSize);
                Assert.Equal(encoder.DynamicTableCount, decoder.DynamicTableCount);
                Assert.Equal(encoder.HeaderTableSize, decoder.HeaderTableSize);
            }
        }, iter: 2000);
    }

    [Fact]
    public void RandomBytes_OnlyEverRaiseHpackDecodingException()
    {
        Gen.Byte.Array[0, 64].Array[1, 4].Sample(blocks =>
        {
            var decoder = new HpackDecoder();
            foreach (byte[] block in blocks)
            {
                try
                {
                    decoder.Decode(block);
                }
                catch (HpackDecodingException)
                {
                }
            }
        }, iter: 20000);
    }

    [Fact]
    public void MutatedValidBlocks_OnlyEverRaiseHpackDecodingException()
    {
        var encoder = new HpackEncoder();
        byte[] seed = encoder.Encode([(":method", "GET"), (":path", "/index.html"), ("user-agent", "h2sharp-test"), ("x-custom", "value")]);
        Gen.Select(Gen.Int[0, seed.Length - 1], Gen.Byte, Gen.Int[0, seed.Length]).Array[1, 4].Sample(mutations =>
        {
            byte[] block = (byte[])seed.Clone();
            int length = block.Length;
            foreach (var (index, value, cut) in mutations)
            {
                block[index] = value;
                length = Math.Min(length, Math.Max(cut, index + 1));
            }

            try
            {
                new HpackDecoder().Decode(block.AsSpan(0, length));
            }
            catch (HpackDecodingException)
            {
            }
        }, iter: 20000);
    }

    [Fact]
    public void FragmentedDecoding_OfTheCorpus_MatchesWholeBlockDecoding()
    {
        HpackStory[] stories = [.. HpackStory.Folders().Where(f => !f.StartsWith("raw-data", StringComparison.Ordinal))
            .SelectMany(f => HpackStory.Files(f).Take(4)).Select(HpackStory.Load)];
        Gen.Select(Gen.Int[0, stories.Length - 1], Gen.Int[1, 40].Array[64]).Sample((index, cuts) =>
        {
            var whole = new HpackDecoder { MaxHeaderListSize = int.MaxValue };
            var pieces = new HpackDecoder { MaxHeaderListSize = int.MaxValue };
            int cut = 0;
            foreach (HpackStoryCase item in stories[index].Cases.Where(c => c.Wire is not null))
            {
                byte[] wire = item.Wire!;
                var fields = new List<HeaderField>();
                int offset = 0;
                do
                {
                    int length = Math.Min(cuts[cut++ % cuts.Length], wire.Length - offset);
                    pieces.DecodeFragment(wire.AsSpan(offset, length), offset + length == wire.Length, fields);
                    offset += length;
                }
                while (offset < wire.Length);

                Assert.Equal(whole.Decode(wire), fields);
                Assert.False(pieces.IsInBlock);
            }
        }, iter: 300);
    }

    [Fact]
    public void FragmentedDecoding_OfRandomBytes_FailsAsWholeDecodingDoes()
    {
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Int[1, 9].Array[16]).Sample((block, cuts) =>
        {
            HpackErrorKind? expected = null;
            List<HeaderField>? expectedFields = null;
            try
            {
                expectedFields = [.. new HpackDecoder().Decode(block)];
            }
            catch (HpackDecodingException e)
            {
                expected = e.Kind;
            }

            var decoder = new HpackDecoder();
            var fields = new List<HeaderField>();
            HpackErrorKind? actual = null;
            try
            {
                int offset = 0, cut = 0;
                do
                {
                    int length = Math.Min(cuts[cut++ % cuts.Length], block.Length - offset);
                    decoder.DecodeFragment(block.AsSpan(offset, length), offset + length == block.Length, fields);
                    offset += length;
                }
                while (offset < block.Length);
            }
            catch (HpackDecodingException e)
            {
                actual = e.Kind;
                Assert.Empty(fields);
            }

            // Which rule a broken block breaks first may differ; whether it breaks one may not.
            Assert.Equal(expected is null, actual is null);
            Assert.Equal(expected == HpackErrorKind.HeaderListTooLarge, actual == HpackErrorKind.HeaderListTooLarge);
            if (expectedFields is not null)
            {
                Assert.Equal(expectedFields, fields);
            }
        }, iter: 20000);
    }

    [Fact]
    public void HuffmanEncodeThenDecode_IsTheIdentity()
    {
        Gen.Char['\0', '\u00ff'].Array[0, 200].Sample(chars =>
        {
            var encoded = new byte[Huffman.GetEncodedLength(chars)];
            int written = Huffman.Encode(chars, encoded);
            var decoded = new byte[Huffman.GetMaxDecodedLength(written)];
            int length = Huffman.Decode(encoded, decoded);
            Assert.Equal(chars.Length, length);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(chars[i], (char)decoded[i]);
            }
        }, iter: 5000);
    }
}
