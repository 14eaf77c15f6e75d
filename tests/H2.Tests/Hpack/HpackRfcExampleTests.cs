using H2.Hpack;

namespace H2.Tests.Hpack;

/// <summary>The examples of RFC 7541 Appendix C.2 to C.6, byte for byte, in both directions.</summary>
public class HpackRfcExampleTests
{
    private static readonly HeaderField[] s_request1 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")];

    private static readonly HeaderField[] s_request2 =
        [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"), ("cache-control", "no-cache")];

    private static readonly HeaderField[] s_request3 =
        [(":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"), ("custom-key", "custom-value")];

    private static readonly HeaderField[] s_response1 =
        [(":status", "302"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];

    private static readonly HeaderField[] s_response2 =
        [(":status", "307"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:21 GMT"), ("location", "https://www.example.com")];

    private static readonly HeaderField[] s_response3 =
    [
        (":status", "200"), ("cache-control", "private"), ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
        ("location", "https://www.example.com"), ("content-encoding", "gzip"),
        ("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
    ];

    public static TheoryData<string, HeaderField, int> SingleFieldExamples() => new()
    {
        // C.2.1 literal with indexing, C.2.2 without indexing, C.2.3 never indexed, C.2.4 indexed.
        { "400a637573746f6d2d6b65790d637573746f6d2d686561646572", new HeaderField("custom-key", "custom-header"), 55 },
        { "040c2f73616d706c652f70617468", new HeaderField(":path", "/sample/path"), 0 },
        { "100870617373776f726406736563726574", new HeaderField("password", "secret", Sensitive: true), 0 },
        { "82", new HeaderField(":method", "GET"), 0 },
    };

    [Theory]
    [MemberData(nameof(SingleFieldExamples))]
    public void AppendixC2_DecodesToTheFieldAndTable(string hex, HeaderField field, int tableSize)
    {
        var decoder = new HpackDecoder();
        Assert.Equal([field], decoder.Decode(Hex.Bytes(hex)));
        Assert.Equal(tableSize, decoder.DynamicTableSize);
    }

    [Theory]
    [MemberData(nameof(SingleFieldExamples))]
    public void AppendixC2_EncodesToTheSameBytes(string hex, HeaderField field, int tableSize)
    {
        var encoder = new HpackEncoder { HuffmanMode = HpackHuffmanMode.Never };
        Assert.Equal(hex, Hex.Of(encoder.Encode([field])));
        Assert.Equal(tableSize, encoder.DynamicTableSize);
    }

    public static TheoryData<string, bool> Sequences() => new()
    {
        { "C.3", false },
        { "C.4", true },
        { "C.5", false },
        { "C.6", true },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void AppendixC3ToC6_DecodeInSequence(string example, bool huffman)
    {
        _ = huffman;
        (HeaderField[] headers, string hex, int tableCount, int tableSize)[] steps = Steps(example);
        var decoder = new HpackDecoder(TableSize(example));
        foreach (var (headers, hex, tableCount, tableSize) in steps)
        {
            Assert.Equal(headers, decoder.Decode(Hex.Bytes(hex)));
            Assert.Equal(tableCount, decoder.DynamicTableCount);
            Assert.Equal(tableSize, decoder.DynamicTableSize);
        }
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void AppendixC3ToC6_EncodeInSequence(string example, bool huffman)
    {
        var encoder = new HpackEncoder(TableSize(example))
        {
            // The RFC's examples index every field and Huffman-code every string in C.4 and C.6.
            IndexingPolicy = HpackIndexingPolicy.All,
            HuffmanMode = huffman ? HpackHuffmanMode.Always : HpackHuffmanMode.Never,
        };
        foreach (var (headers, hex, tableCount, tableSize) in Steps(example))
        {
            Assert.Equal(hex, Hex.Of(encoder.Encode(headers)));
            Assert.Equal(tableCount, encoder.DynamicTableCount);
            Assert.Equal(tableSize, encoder.DynamicTableSize);
        }
    }

    [Fact]
    public void AppendixC4_DefaultEncoderSettings_ProduceTheSameBytes()
    {
        // The default policy (Huffman when shorter, default indexing rules) agrees with C.4.
        var encoder = new HpackEncoder();
        foreach (var (headers, hex, _, _) in Steps("C.4"))
        {
            Assert.Equal(hex, Hex.Of(encoder.Encode(headers)));
        }
    }

    private static int TableSize(string example) => example is "C.5" or "C.6" ? 256 : 4096;

    private static (HeaderField[] Headers, string Hex, int TableCount, int TableSize)[] Steps(string example) => example switch
    {
        "C.3" =>
        [
            (s_request1, "828684410f7777772e6578616d706c652e636f6d", 1, 57),
            (s_request2, "828684be58086e6f2d6361636865", 2, 110),
            (s_request3, "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565", 3, 164),
        ],
        "C.4" =>
        [
            (s_request1, "828684418cf1e3c2e5f23a6ba0ab90f4ff", 1, 57),
            (s_request2, "828684be5886a8eb10649cbf", 2, 110),
            (s_request3, "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf", 3, 164),
        ],
        "C.5" =>
        [
            (s_response1,
                "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d54"
                + "6e1768747470733a2f2f7777772e6578616d706c652e636f6d", 4, 222),
            (s_response2, "4803333037c1c0bf", 4, 222),
            (s_response3,
                "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d"
                + "4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b2076657273696f6e3d31", 3, 215),
        ],
        "C.6" =>
        [
            (s_response1,
                "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3", 4, 222),
            (s_response2, "4883640effc1c0bf", 4, 222),
            (s_response3,
                "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007", 3, 215),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(example)),
    };
}
