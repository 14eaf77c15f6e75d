using System.Text;
using System.Text.Json;
using H2.Frames;
using static H2.Tests.Frames.FrameFactory;

namespace H2.Tests.Frames;

/// <summary>
/// The public http2-frame-test-case vectors (tests/testdata/http2-frame-test-case), written for a
/// draft of HTTP/2. What still holds under RFC 9113 is checked; the differences are:
/// <list type="bullet">
/// <item>Padding octets: the vectors carry text padding ("Howdy!"); RFC 9113 §6.1 has senders zero
/// padding and receivers ignore it, so re-encoding is compared with the padding zeroed.</item>
/// <item>Padding of HEADERS and PUSH_PROMISE is not passed on by the reader, so those are
/// re-encoded unpadded and compared field by field instead.</item>
/// <item>The two CONTINUATION vectors are bare CONTINUATION frames, which RFC 9113 §6.10 only allows
/// after a HEADERS frame without END_HEADERS: they are read after such a HEADERS frame on their
/// stream, closed by a final CONTINUATION, and checked as part of the joined block.</item>
/// </list>
/// </summary>
public class FrameCorpusTests
{
    public static TheoryData<string> NormalCases() => Cases(error: false);

    public static TheoryData<string> ErrorCases() => Cases(error: true);

    [Fact]
    public void Corpus_HasAll34Vectors()
    {
        Assert.Equal(12, NormalCases().Count);
        Assert.Equal(22, ErrorCases().Count);
    }

    [Theory]
    [MemberData(nameof(NormalCases))]
    public void NormalCase_DecodesToItsFields_AndReencodes(string file)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(TestData.PathOf("http2-frame-test-case", file)));
        JsonElement frame = json.RootElement.GetProperty("frame");
        JsonElement payload = frame.GetProperty("frame_payload");
        byte[] wire = Convert.FromHexString(json.RootElement.GetProperty("wire").GetString()!);
        var type = (FrameType)frame.GetProperty("type").GetInt32();
        int streamId = frame.GetProperty("stream_identifier").GetInt32();

        Assert.Equal(new FrameHeader(frame.GetProperty("length").GetInt32(), type, (FrameFlags)frame.GetProperty("flags").GetInt32(), streamId), FrameHeader.Read(wire));

        if (type == FrameType.Continuation)
        {
            byte[] joined = Concat(Raw(FrameType.Headers, 0, streamId, "aa"), wire, Raw(FrameType.Continuation, FrameFlags.EndHeaders, streamId, "bb"));
            var headers = Assert.IsType<HeadersFrame>(ReadSingle(joined));
            Assert.Equal("aa" + Hex.Of(Ascii(payload, "header_block_fragment")) + "bb", Hex.Of(headers.HeaderBlockFragment.Span));
            return;
        }

        Frame read = ReadSingle(wire);
        Assert.Equal(type, read.Type);
        Assert.Equal(streamId, read.StreamId);
        switch (read)
        {
            case DataFrame data:
                Assert.Equal(Ascii(payload, "data"), data.Data.ToArray());
                Assert.Equal(NullableInt(payload, "padding_length"), data.PadLength);
                break;
            case HeadersFrame headers:
                Assert.Equal(Ascii(payload, "header_block_fragment"), headers.HeaderBlockFragment.ToArray());
                StreamPriority? expected = payload.GetProperty("stream_dependency").ValueKind == JsonValueKind.Null
                    ? null
                    : new StreamPriority(payload.GetProperty("stream_dependency").GetInt32(), payload.GetProperty("weight").GetInt32(), payload.GetProperty("exclusive").GetBoolean());
                Assert.Equal(expected, headers.Priority);
                break;
            case PriorityFrame priority:
                Assert.Equal(new StreamPriority(payload.GetProperty("stream_dependency").GetInt32(), payload.GetProperty("weight").GetInt32(), payload.GetProperty("exclusive").GetBoolean()), priority.Priority);
                break;
            case RstStreamFrame reset:
                Assert.Equal((ErrorCode)payload.GetProperty("error_code").GetInt32(), reset.ErrorCode);
                break;
            case SettingsFrame settings:
                Assert.Equal(
                    payload.GetProperty("settings").EnumerateArray().Select(s => new Setting((SettingCode)s[0].GetInt32(), s[1].GetUInt32())),
                    settings.Settings);
                break;
            case PushPromiseFrame push:
                Assert.Equal(payload.GetProperty("promised_stream_id").GetInt32(), push.PromisedStreamId);
                Assert.Equal(Ascii(payload, "header_block_fragment"), push.HeaderBlockFragment.ToArray());
                break;
            case PingFrame ping:
                Assert.Equal(Ascii(payload, "opaque_data"), ping.OpaqueData.ToArray());
                break;
            case GoAwayFrame goAway:
                Assert.Equal(payload.GetProperty("last_stream_id").GetInt32(), goAway.LastStreamId);
                Assert.Equal((ErrorCode)payload.GetProperty("error_code").GetInt32(), goAway.ErrorCode);
                Assert.Equal(Ascii(payload, "additional_debug_data"), goAway.DebugData.ToArray());
                break;
            case WindowUpdateFrame windowUpdate:
                Assert.Equal(payload.GetProperty("window_size_increment").GetInt32(), windowUpdate.Increment);
                break;
            default:
                Assert.Fail($"Unexpected frame {read}");
                break;
        }

        if (read is not (HeadersFrame or PushPromiseFrame) || NullableInt(payload, "padding_length") is null)
        {
            Assert.Equal(Hex.Of(ZeroPadding(wire, NullableInt(payload, "padding_length"))), Hex.Of(read.ToArray()));
        }
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void ErrorCase_RaisesOneOfItsErrorCodes(string file)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllBytes(TestData.PathOf("http2-frame-test-case", file)));
        byte[] wire = Convert.FromHexString(json.RootElement.GetProperty("wire").GetString()!);
        ErrorCode[] allowed = [.. json.RootElement.GetProperty("error").EnumerateArray().Select(e => (ErrorCode)e.GetInt32())];

        // Stream errors (a WINDOW_UPDATE of 0 on a stream) are reported, not thrown.
        var reader = new FrameReader();
        var collector = new FrameCollector();
        ErrorCode code;
        try
        {
            reader.Read(wire, collector);
            code = Assert.Single(collector.StreamErrors).ErrorCode;
        }
        catch (ProtocolException error)
        {
            code = error.ErrorCode;
        }

        Assert.Contains(code, allowed);
    }

    private static TheoryData<string> Cases(bool error)
    {
        var data = new TheoryData<string>();
        string root = TestData.PathOf("http2-frame-test-case");
        foreach (string file in Directory.GetFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("error", StringComparison.Ordinal) == error)
            {
                data.Add(relative);
            }
        }

        return data;
    }

    private static byte[] Ascii(JsonElement payload, string name) => Encoding.ASCII.GetBytes(payload.GetProperty(name).GetString()!);

    private static int? NullableInt(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static byte[] ZeroPadding(byte[] wire, int? padLength)
    {
        byte[] copy = (byte[])wire.Clone();
        if (padLength is int n)
        {
            copy.AsSpan(copy.Length - n).Clear();
        }

        return copy;
    }
}
