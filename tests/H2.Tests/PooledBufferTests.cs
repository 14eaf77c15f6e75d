namespace H2.Tests;

public class PooledBufferTests
{
    [Fact]
    public void Appended_Octets_AreHeldInOrder()
    {
        var buffer = default(PooledBuffer);
        Assert.True(buffer.IsEmpty);
        buffer.Append([1, 2]);
        buffer.Append([]);
        buffer.Append([3], reserve: 1000);
        Assert.Equal(3, buffer.Length);
        Assert.Equal([1, 2, 3], buffer.Span.ToArray());
        buffer.Clear();
    }

    [Fact]
    public void Growing_KeepsWhatWasHeld()
    {
        var buffer = default(PooledBuffer);
        byte[] first = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] second = [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))];
        buffer.Append(first);
        buffer.Append(second);
        Assert.Equal([.. first, .. second], buffer.Span.ToArray());
        buffer.Clear();
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void Consume_DropsTheFront_AndAnEmptyBufferHoldsNoArray()
    {
        var buffer = default(PooledBuffer);
        buffer.Append([1, 2, 3, 4]);
        buffer.Consume(1);
        Assert.Equal([2, 3, 4], buffer.Span.ToArray());
        buffer.Consume(3);
        Assert.True(buffer.IsEmpty);
        Assert.Empty(buffer.Detach());
    }

    [Fact]
    public void Detach_HandsTheArrayOver_AndLeavesTheBufferEmpty()
    {
        var buffer = default(PooledBuffer);
        buffer.Append([9, 8]);
        byte[] array = buffer.Detach();
        Assert.Equal([9, 8], array[..2]);
        Assert.True(buffer.IsEmpty);
        buffer.Clear();
        System.Buffers.ArrayPool<byte>.Shared.Return(array);
    }
}
