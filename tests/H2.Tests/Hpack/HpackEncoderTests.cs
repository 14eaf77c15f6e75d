using H2.Hpack;

namespace H2.Tests.Hpack;

public class HpackEncoderTests
{
    [Fact]
    public void FullStaticMatch_IsOneIndexOctet()
    {
        Assert.Equal("828487", Hex.Of(new HpackEncoder().Encode([(":method", "GET"), (":path", "/"), (":scheme", "https")])));
    }

    [Fact]
    public void EveryStaticEntry_IsFoundByNameAndValue()
    {
        var encoder = new HpackEncoder { IndexingPolicy = HpackIndexingPolicy.None };
        var decoder = new HpackDecoder();
        for (int index = 1; index <= HpackStaticTable.Count; index++)
        {
            HeaderField entry = HpackStaticTable.Get(index);
            Assert.Equal(HpackStaticTable.FindName(entry.Name), HpackStaticTable.Find(entry.Name, "no such value") * -1);
            byte[] block = encoder.Encode([entry]);
            if (entry.Name is not ("authorization" or "proxy-authorization" or "cookie"))
            {
                Assert.Equal([(byte)(0x80 | index)], block);
            }

            Assert.Same(entry.Name, Assert.Single(decoder.Decode(block)).Name);
        }
    }

    [Fact]
    public void RepeatedField_IsIndexedFromTheDynamicTable()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([("x-custom", "value")]);
        Assert.Equal("be", Hex.Of(encoder.Encode([("x-custom", "value")])));
    }

    [Fact]
    public void KnownName_IsSentAsNameIndex()
    {
        byte[] block = new HpackEncoder { HuffmanMode = HpackHuffmanMode.Never }.Encode([("content-type", "text/plain")]);
        Assert.Equal(0x40 | 31, block[0]); // literal with indexing, name index 31
    }

    [Fact]
    public void DynamicNameMatch_IsUsedForANewValue()
    {
        var encoder = new HpackEncoder { HuffmanMode = HpackHuffmanMode.Never };
        encoder.Encode([("x-custom", "one")]);
        Assert.Equal("7e0374776f", Hex.Of(encoder.Encode([("x-custom", "two")]))); // name index 62
    }

    [Theory]
    [InlineData("authorization", "Bearer token-of-any-length-at-all")]
    [InlineData("proxy-authorization", "Basic abc")]
    [InlineData("cookie", "id=12345")]
    public void Credentials_AreNeverIndexed(string name, string value)
    {
        var encoder = new HpackEncoder();
        byte[] block = encoder.Encode([(name, value)]);
        Assert.Equal(0x10, block[0] & 0xF0);
        Assert.Equal(0, encoder.DynamicTableCount);
        Assert.True(Assert.Single(new HpackDecoder().Decode(block)).Sensitive);
    }

    [Fact]
    public void LongCookie_IsIndexed()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([("cookie", "session=0123456789abcdef0123456789")]);
        Assert.Equal(1, encoder.DynamicTableCount);
    }

    [Fact]
    public void SensitiveField_IsNeverIndexedEvenIfTheTableHoldsIt()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([("x-token", "abc")]);
        byte[] block = encoder.Encode([new HeaderField("x-token", "abc", Sensitive: true)]);
        Assert.Equal(0x10, block[0] & 0xF0);
        Assert.Equal(1, encoder.DynamicTableCount);
    }

    [Theory]
    [InlineData(":path", "/a/b?c=d")]
    [InlineData("content-length", "1234")]
    [InlineData("set-cookie", "a=b; Path=/")]
    [InlineData("location", "https://example.com/next")]
    [InlineData("etag", "\"abc\"")]
    public void RarelyRepeatedFields_AreNotIndexed(string name, string value)
    {
        var encoder = new HpackEncoder();
        byte[] block = encoder.Encode([(name, value)]);
        Assert.Equal(0x00, block[0] & 0xF0);
        Assert.Equal(0, encoder.DynamicTableCount);
    }

    [Fact]
    public void FieldLargerThanThreeQuartersOfTheTable_IsNotIndexed()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([("x-big", new string('v', 3100))]);
        Assert.Equal(0, encoder.DynamicTableCount);
        encoder.Encode([("x-big", new string('v', 3000))]);
        Assert.Equal(1, encoder.DynamicTableCount);
    }

    [Fact]
    public void IndexingPolicyNone_UsesOnlyTheStaticTable()
    {
        var encoder = new HpackEncoder { IndexingPolicy = HpackIndexingPolicy.None };
        encoder.Encode([("x-custom", "value"), (":authority", "example.com")]);
        Assert.Equal(0, encoder.DynamicTableCount);
    }

    [Fact]
    public void HuffmanIsUsedOnlyWhenShorter()
    {
        // "www.example.com" is 12 octets in Huffman, 15 raw.
        byte[] shorter = new HpackEncoder().Encode([(":authority", "www.example.com")]);
        Assert.Equal(0x8c, shorter[1]);

        // "\u00ff" codes to 26 bits: four octets, longer than one raw octet.
        byte[] longer = new HpackEncoder().Encode([("x", "\u00ff")]);
        Assert.Equal("40017801ff", Hex.Of(longer));
    }

    [Fact]
    public void HuffmanAlways_CodesEvenLongerStrings()
    {
        var encoder = new HpackEncoder { HuffmanMode = HpackHuffmanMode.Always };
        byte[] block = encoder.Encode([("x", new string('\u00ff', 50))]);
        Assert.Equal([new HeaderField("x", new string('\u00ff', 50))], new HpackDecoder().Decode(block));
    }

    [Fact]
    public void TableSizeChange_IsSignalledAtTheStartOfTheNextBlock()
    {
        var encoder = new HpackEncoder { HeaderTableSize = 256 };
        byte[] block = encoder.Encode([(":method", "GET")]);
        Assert.Equal("3fe10182", Hex.Of(block)); // size update to 256, then :method GET
        Assert.Equal("82", Hex.Of(encoder.Encode([(":method", "GET")])));
    }

    [Fact]
    public void TableThatShrankAndGrew_SignalsMinimumThenFinal()
    {
        var encoder = new HpackEncoder();
        encoder.Encode([("x-a", "1")]);
        encoder.HeaderTableSize = 0;
        encoder.HeaderTableSize = 100;
        encoder.HeaderTableSize = 2000;
        byte[] block = encoder.Encode([]);
        Assert.Equal("203fb10f", Hex.Of(block)); // 0, then 2000
        Assert.Equal(0, encoder.DynamicTableCount); // the shrink to 0 evicted everything

        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Bytes("4003782d610131"));
        decoder.Decode(block);
        Assert.Equal(2000, decoder.HeaderTableSize);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void UnchangedTableSize_SignalsNothing()
    {
        var encoder = new HpackEncoder { HeaderTableSize = 4096 };
        Assert.Empty(encoder.Encode([]));
    }

    [Fact]
    public void OneSizeUpdate_WhenOnlyShrinking()
    {
        var encoder = new HpackEncoder { HeaderTableSize = 1000 };
        encoder.HeaderTableSize = 500;
        Assert.Equal("3fd503", Hex.Of(encoder.Encode([]))); // 500
    }

    [Fact]
    public void CharAboveLatin1_IsRejectedBeforeAnythingIsEncoded()
    {
        var encoder = new HpackEncoder { HeaderTableSize = 1000 };
        Assert.Throws<ArgumentException>(() => encoder.Encode([("x-ok", "fine"), ("x-bad", "snow\u2603man")]));
        Assert.Equal(0, encoder.DynamicTableCount);

        // The pending size update was not spent on the failed call.
        Assert.StartsWith("3f", Hex.Of(encoder.Encode([("x-ok", "fine")])), StringComparison.Ordinal);
    }

    [Fact]
    public void NullNameOrValue_IsRejected()
    {
        var encoder = new HpackEncoder();
        Assert.Throws<ArgumentException>(() => encoder.Encode([default(HeaderField)]));
        Assert.Throws<ArgumentException>(() => encoder.Encode([new HeaderField("x", null!)]));
        Assert.Throws<ArgumentNullException>(() => encoder.Encode(null!));
    }

    [Fact]
    public void LazySequences_AreEncodedLikeLists()
    {
        static IEnumerable<HeaderField> Fields()
        {
            yield return (":method", "GET");
            yield return ("x-custom", "value");
        }

        Assert.Equal(new HpackEncoder().Encode(Fields().ToList()), new HpackEncoder().Encode(Fields()));
    }

    [Fact]
    public void EncodingIntoABufferWriter_AppendsTheBlock()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        System.Buffers.BuffersExtensions.Write(writer, [(byte)0xAA]);
        new HpackEncoder().Encode([(":method", "GET")], writer);
        Assert.Equal("aa82", Hex.Of(writer.WrittenSpan));
    }

    [Fact]
    public void NegativeTableSize_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HpackEncoder { HeaderTableSize = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new HpackEncoder(-1));
    }

    [Fact]
    public void HeaderField_ConvertsFromTuplesAndReportsItsSize()
    {
        HeaderField field = ("name", "value");
        Assert.Equal(new HeaderField("name", "value"), field);
        Assert.Equal(HeaderField.FromValueTuple(("name", "value")), field);
        Assert.Equal(41, field.Size);
        Assert.Equal("name: value", field.ToString());
        Assert.Equal("name: value (sensitive)", (field with { Sensitive = true }).ToString());
    }
}

/// <summary>The encoder's table lookups stay right when its table grows past the size up to which it hashes cheaply.</summary>
public class HpackEncoderTableGrowthTests
{
    [Fact]
    public void TableGrowingPast4096_KeepsFindingItsEntries_AndStaysInStepWithTheDecoder()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder(65536);
        HeaderField[] Block(int round) => [.. Enumerable.Range(0, 40).Select(i => new HeaderField($"x-field-{i % 7}", $"value-{(i + round) % 23}"))];
        for (int round = 0; round < 30; round++)
        {
            if (round == 10)
            {
                encoder.HeaderTableSize = 65536;
            }

            HeaderField[] fields = Block(round);
            Assert.Equal(fields, decoder.Decode(encoder.Encode(fields)));

            // The same fields again are all in the table now: one indexed octet or two each.
            byte[] again = encoder.Encode(fields);
            Assert.Equal(fields, decoder.Decode(again));
            Assert.True(again.Length <= fields.Length * 2, $"round {round}: {again.Length} octets");
        }
    }
}
