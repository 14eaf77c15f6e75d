using H2.Hpack;

namespace H2.Tests.Hpack;

public class HpackDecoderTests
{
    [Theory]
    [InlineData("80", HpackErrorKind.InvalidIndex)] // indexed field with index 0
    [InlineData("be", HpackErrorKind.InvalidIndex)] // index 62 with an empty dynamic table
    [InlineData("ff80ffffff08", HpackErrorKind.IntegerOverflow)]
    [InlineData("7e", HpackErrorKind.InvalidIndex)] // literal with a name index past the tables
    [InlineData("40", HpackErrorKind.Truncated)] // literal with new name, no name string
    [InlineData("4005", HpackErrorKind.Truncated)] // name string shorter than declared
    [InlineData("400161", HpackErrorKind.Truncated)] // value string missing
    [InlineData("0f", HpackErrorKind.Truncated)] // 4-bit prefix integer cut short
    [InlineData("0081ff00", HpackErrorKind.InvalidHuffman)] // Huffman name of eight padding bits
    [InlineData("3fe21f", HpackErrorKind.TableSizeTooLarge)] // size update to 4097
    [InlineData("823f", HpackErrorKind.TableSizeUpdateNotAtStart)]
    public void MalformedBlocks_RaiseTheMatchingKind(string hex, HpackErrorKind kind)
    {
        var decoder = new HpackDecoder();
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes(hex)));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(ErrorCode.CompressionError, error.ErrorCode);
    }

    [Fact]
    public void SizeUpdateAfterAField_IsRejected()
    {
        var decoder = new HpackDecoder();
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("8220")));
        Assert.Equal(HpackErrorKind.TableSizeUpdateNotAtStart, error.Kind);
    }

    [Fact]
    public void SeveralSizeUpdatesAtTheStart_AreAccepted()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Bytes("4003666f6f03626172")); // foo: bar, indexed
        Assert.Equal(1, decoder.DynamicTableCount);

        // 0 then 4096: the table is emptied, then may grow again.
        Assert.Equal([new HeaderField(":method", "GET")], decoder.Decode(Hex.Bytes("203fe11f82")));
        Assert.Equal(0, decoder.DynamicTableCount);
        Assert.Equal(4096, decoder.HeaderTableSize);
    }

    [Fact]
    public void LoweredAllowedSize_RequiresSizeUpdateAtStartOfNextBlock()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Bytes("4003666f6f03626172"));
        decoder.MaxAllowedTableSize = 100;

        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("82")));
        Assert.Equal(HpackErrorKind.TableSizeUpdateMissing, error.Kind);
        Assert.Throws<HpackDecodingException>(() => decoder.Decode([]));

        // A size update within the new limit satisfies the requirement; later blocks need none.
        Assert.Single(decoder.Decode(Hex.Bytes("3f4582")));
        Assert.Equal(100, decoder.HeaderTableSize);
        Assert.Single(decoder.Decode(Hex.Bytes("82")));
    }

    [Fact]
    public void SizeUpdateAboveTheLoweredLimit_IsRejected()
    {
        var decoder = new HpackDecoder { MaxAllowedTableSize = 100 };
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("3f4682"))); // 101
        Assert.Equal(HpackErrorKind.TableSizeTooLarge, error.Kind);
    }

    [Fact]
    public void RaisedAllowedSize_NeedsNoSizeUpdate()
    {
        var decoder = new HpackDecoder { MaxAllowedTableSize = 8192 };
        Assert.Single(decoder.Decode(Hex.Bytes("82")));
        Assert.Equal(4096, decoder.HeaderTableSize);
        Assert.Single(decoder.Decode(Hex.Bytes("3fe13f82"))); // 8192 now allowed
        Assert.Equal(8192, decoder.HeaderTableSize);
    }

    [Fact]
    public void EntryLargerThanTheTable_EmptiesItAndIsNotAdded()
    {
        var decoder = new HpackDecoder(64);
        decoder.Decode(Hex.Bytes("4003666f6f03626172")); // 38 octets
        Assert.Equal(1, decoder.DynamicTableCount);

        // name "a" and a 40-octet value: 73 octets, more than the table holds.
        var encoder = new HpackEncoder(64) { IndexingPolicy = HpackIndexingPolicy.All };
        encoder.Encode([("foo", "bar")]);
        byte[] block = encoder.Encode([("a", new string('x', 40))]);
        Assert.Equal([new HeaderField("a", new string('x', 40))], decoder.Decode(block));
        Assert.Equal(0, decoder.DynamicTableCount);
        Assert.Equal(0, decoder.DynamicTableSize);
    }

    [Fact]
    public void Eviction_DropsOldestEntriesFirst()
    {
        var decoder = new HpackDecoder(100);
        decoder.Decode(Hex.Bytes("4001610131")); // a: 1 (34)
        decoder.Decode(Hex.Bytes("4001620132")); // b: 2 (34)
        decoder.Decode(Hex.Bytes("4001630133")); // c: 3 evicts a
        Assert.Equal(2, decoder.DynamicTableCount);
        Assert.Equal([new HeaderField("c", "3"), new HeaderField("b", "2")], decoder.Decode(Hex.Bytes("bebf")));
        Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("c0")));
    }

    [Fact]
    public void HeaderListOverTheLimit_IsRejectedButTheTableStaysInStep()
    {
        var encoder = new HpackEncoder();
        var decoder = new HpackDecoder { MaxHeaderListSize = 100 };
        byte[] big = encoder.Encode([("x-one", new string('a', 40)), ("x-two", new string('b', 40))]);
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(big));
        Assert.Equal(HpackErrorKind.HeaderListTooLarge, error.Kind);
        Assert.True(error.IsCompressionContextIntact);

        // Both fields entered the table, so the next block that refers to them decodes.
        Assert.Equal(encoder.DynamicTableSize, decoder.DynamicTableSize);
        byte[] next = encoder.Encode([("x-two", new string('b', 40))]);
        Assert.Equal([new HeaderField("x-two", new string('b', 40))], decoder.Decode(next));
    }

    [Fact]
    public void HeaderListSize_CountsNameValueAnd32()
    {
        var decoder = new HpackDecoder { MaxHeaderListSize = 32 + 3 + 3 };
        Assert.Single(decoder.Decode(Hex.Bytes("0003666f6f03626172"))); // foo: bar is exactly the limit
        decoder.MaxHeaderListSize = 37;
        Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("0003666f6f03626172")));
    }

    [Fact]
    public void FailedDecode_LeavesNothingInTheDestination()
    {
        var decoder = new HpackDecoder();
        var fields = new List<HeaderField> { ("kept", "yes") };
        Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("8286be"), fields));
        Assert.Equal([new HeaderField("kept", "yes")], fields);
    }

    [Fact]
    public void StringLongerThanTheLimit_IsSkipped_AndTheContextStaysIntact()
    {
        var decoder = new HpackDecoder { MaxStringLength = 5000 };
        var encoder = new HpackEncoder();
        encoder.Encode([("x-kept", "1")]);
        decoder.Decode(Hex.Bytes("4006782d6b6570740131")); // x-kept: 1, indexed

        // A 6,000-octet value, raw and not indexed: skipped, reported as an oversized list.
        byte[] block = [0x00, 0x01, (byte)'x', 0x7f, 0xf1, 0x2d, .. new byte[6000]];
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(block));
        Assert.Equal(HpackErrorKind.HeaderListTooLarge, error.Kind);
        Assert.True(error.IsCompressionContextIntact);
        Assert.Equal([new HeaderField("x-kept", "1")], decoder.Decode(Hex.Bytes("be")));

        // The same with incremental indexing: as an entry it is larger than the table, which empties it.
        block[0] = 0x40;
        Assert.Equal(HpackErrorKind.HeaderListTooLarge, Assert.Throws<HpackDecodingException>(() => decoder.Decode(block)).Kind);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void StringLongerThanALimitBelowTheTableSize_EndsTheContext()
    {
        var decoder = new HpackDecoder { MaxStringLength = 3 };
        Assert.Single(decoder.Decode(Hex.Bytes("0003666f6f03626172")));
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("4004666f6f6f03626172")));
        Assert.Equal(HpackErrorKind.StringTooLong, error.Kind);
        Assert.False(error.IsCompressionContextIntact);

        // Not indexed, the string could never enter the table: skipped.
        Assert.Equal(HpackErrorKind.HeaderListTooLarge, Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("0004666f6f6f03626172"))).Kind);
    }

    [Fact]
    public void SizeUpdate_MustSignalTheSmallestAllowedSize()
    {
        var decoder = new HpackDecoder();
        decoder.Decode(Hex.Bytes("4003666f6f03626172"));
        decoder.MaxAllowedTableSize = 0;
        decoder.MaxAllowedTableSize = 4096;

        // Only "4096" after the limit dipped to 0: the entry would survive on our side only.
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(Hex.Bytes("3fe11f82")));
        Assert.Equal(HpackErrorKind.TableSizeUpdateMissing, error.Kind);

        var fresh = new HpackDecoder();
        fresh.Decode(Hex.Bytes("4003666f6f03626172"));
        fresh.MaxAllowedTableSize = 0;
        fresh.MaxAllowedTableSize = 4096;
        Assert.Single(fresh.Decode(Hex.Bytes("203fe11f82")));
        Assert.Equal(0, fresh.DynamicTableCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => fresh.MaxStringLength = (256 * 1024 * 1024) + 1);
    }

    [Fact]
    public void LongHuffmanStrings_DecodeThroughAPooledBuffer()
    {
        var encoder = new HpackEncoder();
        string value = new('a', 20000);
        Assert.Equal(value, Assert.Single(new HpackDecoder().Decode(encoder.Encode([("x-long", value)]))).Value);
    }

    [Fact]
    public void NeverIndexedLiterals_ComeBackSensitive()
    {
        var decoder = new HpackDecoder();
        HeaderField field = Assert.Single(decoder.Decode(Hex.Bytes("100870617373776f726406736563726574")));
        Assert.True(field.Sensitive);
        Assert.Equal(0, decoder.DynamicTableCount);
    }

    [Fact]
    public void StaticNames_AreSharedInstances()
    {
        var decoder = new HpackDecoder();

        // "user-agent" as a literal name (not an index), raw and Huffman-coded.
        HeaderField raw = Assert.Single(decoder.Decode(Hex.Bytes("000a757365722d6167656e740178")));
        HeaderField indexed = Assert.Single(decoder.Decode(Hex.Bytes("0f2b0178")));
        Assert.Same(indexed.Name, raw.Name);
        Assert.Equal("user-agent", raw.Name);
    }

    [Fact]
    public void OctetsAbove127_RoundTripAsLatin1Chars()
    {
        var decoder = new HpackDecoder();
        HeaderField field = Assert.Single(decoder.Decode(Hex.Bytes("000178" + "03e9ff80")));
        Assert.Equal("\u00e9\u00ff\u0080", field.Value);
    }

    [Fact]
    public void Limits_HaveSafeDefaults_AndCanBeChanged()
    {
        var decoder = new HpackDecoder();
        Assert.Equal(HpackDecoder.DefaultMaxHeaderListSize, decoder.MaxHeaderListSize);
        Assert.Equal(HpackDecoder.DefaultMaxStringLength, decoder.MaxStringLength);
        Assert.Equal(HpackDecoder.DefaultHeaderTableSize, decoder.MaxAllowedTableSize);
        decoder.MaxHeaderListSize = 10;
        decoder.MaxStringLength = 5;
        Assert.Equal(10, decoder.MaxHeaderListSize);
        Assert.Equal(5, decoder.MaxStringLength);
    }

    [Fact]
    public void NegativeLimits_AreRejected()
    {
        var decoder = new HpackDecoder();
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.MaxHeaderListSize = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.MaxAllowedTableSize = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.MaxStringLength = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HpackDecoder(-1));
    }
}

/// <summary>Decoding a header block fragment by fragment, as HEADERS and CONTINUATION frames bring it.</summary>
public class HpackFragmentedDecodingTests
{
    private static byte[] Block(params HeaderField[] fields) => new HpackEncoder().Encode(fields);

    [Fact]
    public void BlockEndingInsideARepresentation_IsTruncated()
    {
        var decoder = new HpackDecoder();
        byte[] block = Block(("x-name", "value"));
        var fields = new List<HeaderField>();
        decoder.DecodeFragment(block.AsSpan(0, 3), endOfBlock: false, fields);
        Assert.True(decoder.IsInBlock);
        var error = Assert.Throws<HpackDecodingException>(() => decoder.DecodeFragment(block.AsSpan(3, 2), endOfBlock: true, fields));
        Assert.Equal(HpackErrorKind.Truncated, error.Kind);
    }

    [Fact]
    public void WholeBlockDecode_WhileAFragmentedBlockIsUnfinished_IsAMisuse()
    {
        var decoder = new HpackDecoder();
        byte[] block = Block(("x-name", "value"));
        decoder.DecodeFragment(block.AsSpan(0, 2), endOfBlock: false, []);
        Assert.Throws<InvalidOperationException>(() => decoder.Decode(block));
    }

    [Fact]
    public void RepresentationLongerThanTheScratchBuffer_DecodesAcrossManyFragments()
    {
        string value = new('v', 20_000);
        byte[] block = Block(("x-long", value), (":path", "/"));
        var decoder = new HpackDecoder();
        var fields = new List<HeaderField>();
        for (int offset = 0; offset < block.Length; offset += 1000)
        {
            int length = Math.Min(1000, block.Length - offset);
            decoder.DecodeFragment(block.AsSpan(offset, length), endOfBlock: offset + length == block.Length, fields);
        }

        Assert.Equal([new HeaderField("x-long", value), new HeaderField(":path", "/")], fields);
        Assert.False(decoder.IsInBlock);
    }

    [Fact]
    public void SkippedOverlongStrings_StillCountTowardTheHardLimit()
    {
        // Strings over MaxStringLength are skipped, not kept, but their length still counts.
        var decoder = new HpackDecoder { MaxStringLength = 100, MaxHeaderListSize = 1000, HeaderListHardLimit = 2000 };
        Assert.Equal(2000, decoder.HeaderListHardLimit);
        byte[] block = new HpackEncoder { IndexingPolicy = HpackIndexingPolicy.None }.Encode([("x-a", new string('a', 1500)), ("x-b", new string('b', 1500))]);
        var error = Assert.Throws<HpackDecodingException>(() => decoder.Decode(block));
        Assert.Equal(HpackErrorKind.HeaderListFarTooLarge, error.Kind);
    }
}
