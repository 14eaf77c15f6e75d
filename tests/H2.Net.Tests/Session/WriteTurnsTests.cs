using H2.Net.Session;

namespace H2.Net.Tests.Session;

/// <summary>The order in which waiting streams queue their data: RFC 9218 §10's urgency first, then non-incremental by stream, then incremental in turn.</summary>
public class WriteTurnsTests
{
    [Fact]
    public void LowerUrgency_GoesFirst_WhateverTheOrderOfArrival()
    {
        var turns = new WriteTurns();
        Task background = turns.Enqueue(Stream(1), new H2Priority(7), default);
        Task normal = turns.Enqueue(Stream(3), H2Priority.Default, default);
        Task urgent = turns.Enqueue(Stream(5), new H2Priority(0), default);

        Assert.Equal([urgent, normal, background], GrantAll(turns, 3, background, normal, urgent));
    }

    [Fact]
    public void WithinAnUrgency_NonIncrementalStreamsGoInStreamOrder_BeforeIncrementalOnes()
    {
        var turns = new WriteTurns();
        Task incremental = turns.Enqueue(Stream(1), new H2Priority(3, Incremental: true), default);
        Task later = turns.Enqueue(Stream(9), H2Priority.Default, default);
        Task earlier = turns.Enqueue(Stream(7), H2Priority.Default, default);

        Assert.Equal([earlier, later, incremental], GrantAll(turns, 3, incremental, later, earlier));
    }

    [Fact]
    public void IncrementalStreams_TakeTurns_InTheOrderTheyCameBack()
    {
        var turns = new WriteTurns();
        var incremental = new H2Priority(3, Incremental: true);
        Task a1 = turns.Enqueue(Stream(1), incremental, default);
        Task b1 = turns.Enqueue(Stream(3), incremental, default);
        Assert.True(turns.GrantNext());
        Assert.True(a1.IsCompletedSuccessfully);

        // Stream 1 had its turn and lines up again: behind stream 3.
        Task a2 = turns.Enqueue(Stream(1), incremental, default);

        Assert.Equal([b1, a2], GrantAll(turns, 2, b1, a2));
    }

    [Fact]
    public void ACancelledWaiter_IsSkipped()
    {
        var turns = new WriteTurns();
        using var cancel = new CancellationTokenSource();
        Task gone = turns.Enqueue(Stream(1), new H2Priority(0), cancel.Token);
        Task next = turns.Enqueue(Stream(3), H2Priority.Default, default);
        cancel.Cancel();

        Assert.True(turns.GrantNext());
        Assert.True(gone.IsCanceled);
        Assert.True(next.IsCompletedSuccessfully);
        Assert.False(turns.GrantNext());
    }

    [Fact]
    public void AnyWaitingAtOrAbove_LooksOnlyAtTheSameUrgencyAndMoreUrgentOnes()
    {
        var turns = new WriteTurns();
        Assert.False(turns.AnyWaitingAtOrAbove(7));
        _ = turns.Enqueue(Stream(1), new H2Priority(5), default);

        Assert.False(turns.AnyWaitingAtOrAbove(4));
        Assert.True(turns.AnyWaitingAtOrAbove(5));
        Assert.True(turns.AnyWaitingAtOrAbove(7));
    }

    private static SessionStream Stream(int id) => new(null!, id);

    /// <summary>Grants <paramref name="count"/> turns one by one; returns the waits in the order they were granted.</summary>
    private static List<Task> GrantAll(WriteTurns turns, int count, params Task[] waits)
    {
        var order = new List<Task>();
        for (int i = 0; i < count; i++)
        {
            Assert.True(turns.GrantNext());
            order.Add(Assert.Single(waits, w => w.IsCompletedSuccessfully && !order.Contains(w)));
        }

        Assert.False(turns.GrantNext());
        return order;
    }
}
