using CsCheck;
using H2.Connection;
using H2.Frames;

namespace H2.Tests.Connection;

public class OutboundQueueTests
{
    [Fact]
    public void WrittenOctets_AreTakenInOrder()
    {
        var queue = new OutboundQueue();
        Write(queue, [1, 2, 3]);
        Write(queue, [4, 5]);
        Assert.Equal(5, queue.Length);
        Assert.Equal([1, 2, 3, 4, 5], queue.Peek().ToArray());
        Assert.Equal([1, 2], queue.Take(2));
        Assert.Equal([3, 4, 5], queue.Take(long.MaxValue));
        Assert.Equal(0, queue.Length);
        Assert.True(queue.Peek().IsEmpty);
    }

    [Fact]
    public void LentMemory_IsQueuedByReference_BetweenWrittenRuns()
    {
        var queue = new OutboundQueue();
        byte[] lent = [7, 8, 9];
        Write(queue, [1]);
        queue.Append(lent);
        Write(queue, [2]);

        Assert.Equal([1], queue.Peek().ToArray());
        queue.Consume(1);
        Assert.True(queue.Peek().Span.Overlaps(lent));
        lent[0] = 70;
        Assert.Equal([70, 8, 9, 2], queue.Take(10));
    }

    [Fact]
    public void CopyTo_LeavesTheOctetsQueued()
    {
        var queue = new OutboundQueue();
        Write(queue, [1, 2]);
        queue.Append(new byte[] { 3, 4 });
        var copy = new byte[3];
        Assert.Equal(3, queue.CopyTo(copy));
        Assert.Equal([1, 2, 3], copy);
        Assert.Equal(4, queue.Length);
    }

    [Fact]
    public void Consume_MayStopInsideARun()
    {
        var queue = new OutboundQueue();
        Write(queue, [1, 2, 3, 4]);
        queue.Consume(3);
        Assert.Equal([4], queue.Peek().ToArray());
        queue.Consume(100);
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public void DataFrame_WithLentPayloadAndPadding_IsLaidOutAsRfc9113Section6Point1()
    {
        var queue = new OutboundQueue();
        queue.WriteDataFrame(streamId: 1, new byte[] { 0xAA, 0xBB }, endStream: true, padLength: 2);
        byte[] frame = queue.Take(long.MaxValue);
        Assert.Equal(
            [0, 0, 5, (byte)FrameType.Data, (byte)(FrameFlags.EndStream | FrameFlags.Padded), 0, 0, 0, 1, 2, 0xAA, 0xBB, 0, 0],
            frame);
        Assert.Equal(1, queue.FramesWritten);
    }

    [Fact]
    public void ControlFrames_ArePendingUntilWhollyTaken()
    {
        var queue = new OutboundQueue();
        PingFrame.Write(queue, new byte[8], ack: true);
        queue.MarkControlFrame(acknowledgement: true);
        PingFrame.Write(queue, new byte[8]);
        queue.MarkControlFrame(acknowledgement: false);
        Assert.Equal(2, queue.PendingControlFrames);
        Assert.Equal(1, queue.PendingAcknowledgements);

        queue.Consume(FrameHeader.Size + 7);
        Assert.Equal(2, queue.PendingControlFrames);
        queue.Consume(1);
        Assert.Equal(1, queue.PendingControlFrames);
        Assert.Equal(0, queue.PendingAcknowledgements);
        queue.Clear();
        Assert.Equal(0, queue.PendingControlFrames);
        Assert.Equal(2, queue.FramesWritten);
    }

    [Fact]
    public void ALongBacklog_TakenBitByBit_StaysInOrder()
    {
        var queue = new OutboundQueue();
        var expected = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            byte[] run = [(byte)i, (byte)(i + 1)];
            if (i % 3 == 0)
            {
                queue.Append(run);
            }
            else
            {
                Write(queue, run);
            }

            expected.AddRange(run);
        }

        var taken = new List<byte>();
        while (queue.Length > 0)
        {
            taken.AddRange(queue.Take(3));
        }

        Assert.Equal(expected, taken);
    }

    [Fact]
    public void WritesLargerThanAChunk_GetAChunkOfTheirOwn()
    {
        var queue = new OutboundQueue();
        byte[] big = [.. Enumerable.Range(0, 40_000).Select(i => (byte)i)];
        Write(queue, [1]);
        Write(queue, big);
        Assert.Equal([1, .. big], queue.Take(long.MaxValue));
    }

    private static void Write(OutboundQueue queue, byte[] octets)
    {
        octets.CopyTo(queue.GetSpan(octets.Length));
        queue.Advance(octets.Length);
    }

    [Fact]
    public void AnyMixOfWritesLoansAndTakes_KeepsOrderAndBytes()
    {
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, 24000]).Array[1, 60].Sample(operations =>
        {
            var queue = new OutboundQueue();
            var expected = new List<byte>();
            byte next = 0;
            foreach (var (kind, size) in operations)
            {
                switch (kind)
                {
                    case 0:
                        Span<byte> span = queue.GetSpan(size % 20000);
                        int count = Math.Min(size % 20000, span.Length);
                        for (int i = 0; i < count; i++)
                        {
                            span[i] = next;
                            expected.Add(next++);
                        }

                        queue.Advance(count);
                        break;
                    case 1:
                        byte[] loan = new byte[size % 300];
                        for (int i = 0; i < loan.Length; i++)
                        {
                            loan[i] = next;
                            expected.Add(next++);
                        }

                        queue.Append(loan);
                        break;
                    default:
                        int take = (int)Math.Min(size, queue.Length);
                        ReadOnlyMemory<byte> first = queue.Peek();
                        if (!first.IsEmpty)
                        {
                            Assert.Equal(expected[0], first.Span[0]);
                        }

                        byte[] taken = queue.Take(take);
                        Assert.Equal(expected.Take(take), taken);
                        expected.RemoveRange(0, take);
                        break;
                }

                Assert.Equal(expected.Count, queue.Length);
            }

            Assert.Equal(expected, queue.Take(long.MaxValue));
            Assert.True(queue.Peek().IsEmpty);
        }, iter: 300);
    }
}
