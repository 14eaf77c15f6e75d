using static H2.Connection.ConnectionState.Phase;

namespace H2.Connection;

/// <summary>
/// The connection's own life cycle (RFC 9113 §6.8, §5.4.1) as a table, beside the streams':
/// open until a GOAWAY goes either way, then draining (streams up to the last stream identifier
/// run to completion, no new ones open), closed after a connection error or a GOAWAY with an
/// error code. Also whether the preface has gone out (RFC 9113 §3.4), and the last stream
/// identifier of each GOAWAY.
/// </summary>
internal sealed class ConnectionState
{
    /// <summary>Where the connection is in its life.</summary>
    public enum Phase : byte
    {
        /// <summary>No GOAWAY either way: streams may open.</summary>
        Open,

        /// <summary>We sent a graceful GOAWAY: the peer's streams above its last stream identifier are refused.</summary>
        GoAwaySent,

        /// <summary>The peer sent GOAWAY: we open no more streams; ours above its last stream identifier were not processed.</summary>
        GoAwayReceived,

        /// <summary>GOAWAY went both ways.</summary>
        GoAwayBoth,

        /// <summary>Finished: nothing more is sent, and input is ignored.</summary>
        Closed,
    }

    /// <summary>What moves the connection along.</summary>
    private enum Input : byte
    {
        SendGoAway,
        ReceiveGoAway,
        Fail,
    }

    // (phase, input) → next phase; Fail always closes, and a closed connection stays closed.
    private static readonly Phase[,] s_table = Build();

    public Phase Current { get; private set; }

    /// <summary>Whether the connection preface (our SETTINGS) has been queued.</summary>
    public bool Initiated { get; private set; }

    /// <summary>The last stream identifier of the GOAWAY we sent (the lowest, if several), or <see langword="null"/>.</summary>
    public int? GoAwaySentLastStreamId { get; private set; }

    /// <summary>The lowest last stream identifier of the GOAWAY frames received, or <see langword="null"/>.</summary>
    public int? GoAwayReceivedLastStreamId { get; private set; }

    public bool IsClosed => Current == Closed;

    /// <summary>Whether this side may still open streams: no GOAWAY has gone either way (RFC 9113 §6.8).</summary>
    public bool MayOpenStreams => Current == Open;

    /// <summary>Queues the preface once; a second time is a misuse.</summary>
    public void Initiate()
    {
        if (Initiated)
        {
            throw new InvalidOperationException("The connection has already been initiated.");
        }

        Initiated = true;
    }

    /// <summary>
    /// We sent GOAWAY naming <paramref name="lastStreamId"/>; with an error code the connection is
    /// finished. The identifier may not grow from one GOAWAY to the next (RFC 9113 §6.8).
    /// </summary>
    public void SentGoAway(int lastStreamId, bool error)
    {
        GoAwaySentLastStreamId = lastStreamId;
        Move(error ? Input.Fail : Input.SendGoAway);
    }

    /// <summary>The peer sent GOAWAY: the lowest last stream identifier counts.</summary>
    public void ReceivedGoAway(int lastStreamId)
    {
        GoAwayReceivedLastStreamId = Math.Min(lastStreamId, GoAwayReceivedLastStreamId ?? int.MaxValue);
        Move(Input.ReceiveGoAway);
    }

    /// <summary>Whether a stream the peer opens now is refused, being above the last stream our GOAWAY named.</summary>
    public bool Refuses(int inboundStreamId) => GoAwaySentLastStreamId is int last && inboundStreamId > last;

    /// <summary>
    /// The last stream a GOAWAY of ours names: the highest the peer used, but never above one we
    /// already announced (RFC 9113 §6.8: it must not grow), since later streams were refused.
    /// </summary>
    public int LastProcessed(int highestInbound) => Math.Min(highestInbound, GoAwaySentLastStreamId ?? int.MaxValue);

    private void Move(Input input) => Current = s_table[(int)Current, (int)input];

    private static Phase[,] Build()
    {
        var table = new Phase[Enum.GetValues<Phase>().Length, Enum.GetValues<Input>().Length];
        foreach (Phase phase in Enum.GetValues<Phase>())
        {
            table[(int)phase, (int)Input.Fail] = Closed;
        }

        table[(int)Open, (int)Input.SendGoAway] = GoAwaySent;
        table[(int)Open, (int)Input.ReceiveGoAway] = GoAwayReceived;
        table[(int)GoAwaySent, (int)Input.SendGoAway] = GoAwaySent;
        table[(int)GoAwaySent, (int)Input.ReceiveGoAway] = GoAwayBoth;
        table[(int)GoAwayReceived, (int)Input.SendGoAway] = GoAwayBoth;
        table[(int)GoAwayReceived, (int)Input.ReceiveGoAway] = GoAwayReceived;
        table[(int)GoAwayBoth, (int)Input.SendGoAway] = GoAwayBoth;
        table[(int)GoAwayBoth, (int)Input.ReceiveGoAway] = GoAwayBoth;
        table[(int)Closed, (int)Input.SendGoAway] = Closed;
        table[(int)Closed, (int)Input.ReceiveGoAway] = Closed;
        return table;
    }
}
