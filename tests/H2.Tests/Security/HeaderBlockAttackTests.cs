using H2.Events;
using H2.Frames;
using H2.Hpack;
using static H2.Tests.Connection.RawPeer;
using static H2.Tests.Security.Attack;

namespace H2.Tests.Security;

/// <summary>Header blocks as weapons: oversized lists, HPACK bombs, CONTINUATION floods, table games.</summary>
public class HeaderBlockAttackTests
{
    [Fact]
    public void HeaderListALittleOverTheLimit_IsAnswered431_AndTheConnectionLives()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 1000 });
        byte[] block = [.. GetRequestBlock(), .. Literal("x-big", new string('a', 1000))];
        Assert.Empty(peer.Send(HeadersFrameOf(1, block)));
        var answer = Assert.Single(peer.Received().OfType<HeadersFrame>());
        Assert.Equal(":status: 431", Assert.Single(new HpackDecoder().Decode(answer.HeaderBlockFragment.Span)).ToString());
        Assert.True(answer.EndStream);
        Assert.IsType<RequestReceived>(peer.Send(HeadersFrameOf(3, GetRequestBlock()))[0]);
    }

    [Fact]
    public void UnfinishedRequestOverTheLimit_Gets431ThenResetNoError()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 1000 });
        Assert.Empty(peer.Send(HeadersFrameOf(1, [.. GetRequestBlock(), .. Literal("x-big", new string('a', 1000))], endStream: false)));
        Assert.Equal(ErrorCode.NoError, peer.ResetCode(1));

        // The rest of the request body in flight is dropped quietly.
        Assert.Empty(peer.Send(Data(1, [1, 2, 3], endStream: true)));
        Assert.Empty(peer.Received());
    }

    [Fact]
    public void HeaderListFarOverTheLimit_EndsTheConnection_BeforeTheBlockIsComplete()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 1000 });
        byte[] block = [.. GetRequestBlock(), .. Repeat(20, i => Literal($"x-{i}", new string('a', 200)))];
        byte[] frames = HeadersFrameOf(1, block, fragmentSize: 500);

        // Only the first frames: the block is abandoned as soon as its size passes twice the limit.
        var error = ExpectCalm(peer, frames[..(5 * (500 + FrameHeader.Size))], ErrorCode.CompressionError);
        Assert.Contains("far beyond", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderListHardLimit_CanBeSet()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 1000, HeaderListHardLimit = 10_000 });
        Assert.Empty(peer.Send(HeadersFrameOf(1, [.. GetRequestBlock(), .. Literal("x-big", new string('a', 5000))])));
        Assert.Single(peer.Received().OfType<HeadersFrame>());
        Assert.False(peer.Connection.IsClosed);
    }

    [Fact]
    public void HpackBomb_OfRepeatedTableReferences_StopsAtTheHardLimit_WithoutAllocating()
    {
        var peer = ForServer();
        string big = new('b', 4000);
        peer.Send(HeadersFrameOf(1, [.. GetRequestBlock(), .. IndexedLiteral("x-bomb", big)]));

        // 10,000 one-octet references to a 4 KB entry would decode to 40 MB.
        byte[] bomb = [.. GetRequestBlock(), .. Repeat(10_000, _ => Indexed(62))];
        long before = GC.GetAllocatedBytesForCurrentThread();
        ExpectCalm(peer, HeadersFrameOf(3, bomb, fragmentSize: 16384), ErrorCode.CompressionError);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 512 * 1024);
    }

    [Fact]
    public void ContinuationFlood_PastEightFrames_IsEnhanceYourCalm()
    {
        var peer = ForServer();
        byte[] block = [.. GetRequestBlock(), .. Repeat(9, i => Literal($"x-{i}", "a value of some length"))];

        // HEADERS plus nine CONTINUATION frames of ten octets each, never ending.
        int fragment = (block.Length / 10) + 1;
        Assert.True(block.Length > 9 * fragment);
        ExpectCalm(peer, HeadersFrameOf(1, block, fragmentSize: fragment));
    }

    [Fact]
    public void EightContinuationFrames_AreAllowed()
    {
        var peer = ForServer();
        byte[] block = GetRequestBlock();
        Assert.IsType<RequestReceived>(peer.Send(HeadersFrameOf(1, block, fragmentSize: (block.Length / 9) + 1))[0]);
    }

    [Fact]
    public void EmptyContinuationFrames_AreBoundedToo()
    {
        var peer = ForServer();
        byte[] frames =
        [
            .. Raw(FrameType.Headers, FrameFlags.EndStream, 1, GetRequestBlock()),
            .. Repeat(9, _ => Raw(FrameType.Continuation, FrameFlags.None, 1, [])),
        ];
        ExpectCalm(peer, frames);
    }

    [Fact]
    public void HeaderBlockLargerThanTheLimit_IsEnhanceYourCalm_AsSoonAsItCrossesIt()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderBlockSize = 1000, MaxHeaderListSize = 100_000 });
        byte[] block = [.. GetRequestBlock(), .. Literal("x-big", new string('a', 2000))];
        ExpectCalm(peer, HeadersFrameOf(1, block, fragmentSize: 600)[..(2 * (600 + FrameHeader.Size))]);
    }

    [Fact]
    public void HeaderBlock_SplitMidRepresentation_DecodesAsAWhole()
    {
        var peer = ForServer();
        byte[] block = [.. GetRequestBlock(), .. IndexedLiteral("x-split", new string('s', 300)), .. Literal("x-after", "1")];
        foreach (int size in new[] { 1, 2, 7, 64, 299 })
        {
            var request = Assert.IsType<RequestReceived>(ForServerSend(block, size)[0]);
            Assert.Equal(new string('s', 300), request.Headers.Single(h => h.Name == "x-split").Value);
            Assert.Equal("1", request.Headers.Single(h => h.Name == "x-after").Value);
        }

        static IReadOnlyList<Event> ForServerSend(byte[] block, int fragment) =>
            ForServer(new H2Configuration { MaxContinuationFrames = 1000 }).Send(HeadersFrameOf(1, block, fragmentSize: fragment));
    }

    [Fact]
    public void RefusedBlock_StillUpdatesTheTable_SoTheNextBlockDecodes()
    {
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 1000 });

        // The refused block adds an entry that the next block refers to.
        Assert.Empty(peer.Send(HeadersFrameOf(1, [.. GetRequestBlock(), .. IndexedLiteral("x-kept", "yes"), .. Literal("x-big", new string('a', 1000))])));
        var request = Assert.IsType<RequestReceived>(peer.Send(HeadersFrameOf(3, [.. GetRequestBlock(), .. Indexed(62)]))[0]);
        Assert.Equal("yes", request.Headers.Single(h => h.Name == "x-kept").Value);
    }

    [Fact]
    public void OurEncoderTable_StaysWithin4096_WhateverThePeerAnnounces()
    {
        var peer = ForServer(null, new Setting(SettingCode.HeaderTableSize, 1 << 20));
        var decoder = new HpackDecoder { MaxAllowedTableSize = 1 << 20 };
        for (int i = 0; i < 50; i++)
        {
            int id = (2 * i) + 1;
            peer.Send(HeadersFrameOf(id, GetRequestBlock()));
            peer.Connection.SendHeaders(id, Ok(($"x-header-{i}", new string('v', 200))), endStream: true);
            foreach (HeadersFrame frame in peer.Received().OfType<HeadersFrame>())
            {
                decoder.Decode(frame.HeaderBlockFragment.Span);
            }
        }

        Assert.InRange(decoder.HeaderTableSize, 0, 4096);
        Assert.InRange(decoder.DynamicTableSize, 1, 4096);
    }

    [Fact]
    public void LoweredTableSize_WithoutTheSizeUpdate_IsACompressionError()
    {
        var peer = ForServer();
        peer.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.HeaderTableSize] = 0 });
        peer.Send(Write(SettingsFrame.WriteAck));
        var error = peer.SendExpectingError(HeadersFrameOf(1, GetRequestBlock()));
        Assert.Equal(ErrorCode.CompressionError, error.ErrorCode);

        var fine = ForServer();
        fine.Connection.UpdateSettings(new Dictionary<SettingCode, uint> { [SettingCode.HeaderTableSize] = 0 });
        fine.Send(Write(SettingsFrame.WriteAck));
        Assert.IsType<RequestReceived>(fine.Send(HeadersFrameOf(1, [0x20, .. GetRequestBlock()]))[0]);
    }

    [Fact]
    public void DecoderTable_IsAllocatedAsEntriesArrive_NotAtTheAnnouncedSize()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var decoder = new HpackDecoder(1 << 30);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 1024);
        decoder.Decode(IndexedLiteral("x-a", "1"));
        Assert.Equal(1, decoder.DynamicTableCount);
    }

    [Fact]
    public void ZeroLengthHeaders_CountThirtyTwoOctetsEach_SoAFloodOfThemIs431()
    {
        // CVE-2019-9516: fields with empty names and values cost memory however small they look.
        var peer = ForServer(new H2Configuration { MaxHeaderListSize = 4096, ValidateInboundHeaders = false });
        byte[] block = [.. GetRequestBlock(), .. Repeat(200, _ => Literal(string.Empty, string.Empty))];
        Assert.Empty(peer.Send(HeadersFrameOf(1, block)));
        var answer = Assert.Single(peer.Received().OfType<HeadersFrame>());
        Assert.Equal(":status: 431", Assert.Single(new HpackDecoder().Decode(answer.HeaderBlockFragment.Span)).ToString());
    }
}
