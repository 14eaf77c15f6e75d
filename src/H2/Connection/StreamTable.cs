using System.Diagnostics.CodeAnalysis;

namespace H2.Connection;

/// <summary>
/// Every stream of one connection: the live ones by identifier, the memory of those that closed
/// (RFC 9113 §5.1, "closed"), which identifiers are idle (§5.1.1: never used, above the highest
/// seen), and the counts that SETTINGS_MAX_CONCURRENT_STREAMS limits (§5.1.2). Closed streams'
/// objects are kept for reuse, so a busy connection does not allocate one per stream.
/// </summary>
internal sealed class StreamTable(bool clientSide, int maxClosedStreams)
{
    // A few spare objects cover a busy connection's turnover.
    private const int MaxSpareStreams = 16;

    private readonly Dictionary<int, H2Stream> _live = [];
    private readonly Stack<H2Stream> _spare = new();
    private readonly ClosedStreams _closed = new(maxClosedStreams);

    /// <summary>The highest identifier the peer has used (opened or promised), or 0.</summary>
    public int HighestInbound { get; private set; }

    /// <summary>The highest identifier this side has used (opened or promised), or 0.</summary>
    public int HighestOutbound { get; private set; }

    /// <summary>Streams this side opened that are open or half-closed (RFC 9113 §5.1.2).</summary>
    public int ActiveOutbound { get; private set; }

    /// <summary>Streams the peer opened that are open or half-closed.</summary>
    public int ActiveInbound { get; private set; }

    /// <summary>Streams the peer promised that wait, reserved, for their response.</summary>
    public int ReservedInbound { get; private set; }

    /// <summary>The live streams.</summary>
    public Dictionary<int, H2Stream>.ValueCollection Live => _live.Values;

    /// <summary>How many streams are live (idle and closed ones are not).</summary>
    public int LiveCount => _live.Count;

    public bool TryGet(int streamId, [MaybeNullWhen(false)] out H2Stream stream) => _live.TryGetValue(streamId, out stream);

    public bool Contains(int streamId) => _live.ContainsKey(streamId);

    /// <summary>Whether this side opens (or promises) streams of this identifier: odd for clients, even for servers.</summary>
    public bool IsLocal(int streamId) => (streamId & 1) == (clientSide ? 1 : 0);

    /// <summary>Whether a stream the table does not hold is idle (never used) rather than closed (RFC 9113 §5.1.1).</summary>
    public bool IsIdle(int streamId) => IsLocal(streamId) ? streamId > HighestOutbound : streamId > HighestInbound;

    /// <summary>How a stream no longer live closed, as far as the table remembers.</summary>
    public StreamCloseReason ClosedReason(int streamId) => _closed.ReasonFor(streamId);

    /// <summary>Records how a stream that is not live closed (a new stream refused, a reset that crossed ours).</summary>
    public void RememberClosed(int streamId, StreamCloseReason reason) => _closed.Remember(streamId, reason);

    /// <summary>The peer used a new identifier, by opening or promising a stream.</summary>
    public void NoteInbound(int streamId) => HighestInbound = streamId;

    /// <summary>
    /// A stream object for a new stream, a spare one made new when there is one; not live until
    /// <see cref="Add"/>, so a send that fails after this leaves no trace.
    /// </summary>
    public H2Stream Take(int streamId, bool isLocal, long outboundWindow, int inboundWindow)
    {
        if (_spare.TryPop(out H2Stream? stream))
        {
            stream.Reset(streamId, isLocal, outboundWindow, inboundWindow);
            return stream;
        }

        return new H2Stream(this, streamId, isLocal, outboundWindow, inboundWindow);
    }

    /// <summary>Makes a stream live in its first state; a local one raises the highest outbound identifier.</summary>
    public void Add(H2Stream stream, StreamState state)
    {
        _live.Add(stream.Id, stream);
        if (stream.IsLocal)
        {
            HighestOutbound = Math.Max(HighestOutbound, stream.Id);
        }

        stream.MoveTo(state);
    }

    /// <summary>The live stream, or the right exception for a closed or an unknown one.</summary>
    public H2Stream Require(int streamId)
    {
        if (_live.TryGetValue(streamId, out H2Stream? stream))
        {
            return stream;
        }

        if (streamId > 0 && !IsIdle(streamId))
        {
            throw new StreamClosedException($"Stream {streamId} is closed.", streamId);
        }

        throw new NoSuchStreamException($"Stream {streamId} has not been opened.", streamId);
    }

    /// <summary>Whether the peer's streams, with those still held after a reset, fill <paramref name="limit"/>.</summary>
    public bool InboundAtLimit(uint limit, int held) => ActiveInbound + held >= limit;

    /// <summary>Whether the streams the peer promised fill <paramref name="limit"/>.</summary>
    public bool ReservedAtLimit(uint limit) => ReservedInbound >= limit;

    /// <summary>Whether our streams fill the peer's <paramref name="limit"/>.</summary>
    public bool OutboundAtLimit(uint limit) => ActiveOutbound >= limit;

    /// <summary>A stream changed state: keeps the counts, and when it closes, its memory and its object for reuse.</summary>
    internal void StateChanged(H2Stream stream, StreamState previous, StreamCloseReason reason)
    {
        StreamState next = stream.State;
        int change = (CountsAsActive(next) ? 1 : 0) - (CountsAsActive(previous) ? 1 : 0);
        if (stream.IsLocal)
        {
            ActiveOutbound += change;
        }
        else
        {
            ActiveInbound += change;
            ReservedInbound += (next == StreamState.ReservedRemote ? 1 : 0) - (previous == StreamState.ReservedRemote ? 1 : 0);
        }

        if (next == StreamState.Closed && _live.Remove(stream.Id))
        {
            // The application's object goes with the stream (events about its closing were given it first).
            stream.UserData = null;
            _closed.Remember(stream.Id, reason);
            if (_spare.Count < MaxSpareStreams)
            {
                // Nothing refers to a closed stream's object once it leaves the table; the next stream reuses it.
                _spare.Push(stream);
            }
        }
    }

    /// <summary>Streams in the open and half-closed states count against SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2).</summary>
    private static bool CountsAsActive(StreamState state) => state is StreamState.Open or StreamState.HalfClosedLocal or StreamState.HalfClosedRemote;
}
