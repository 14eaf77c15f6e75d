using H2.Connection;

namespace H2;

/// <summary>
/// What <see cref="H2Connection"/> tells of its streams, and the application's object on each (as
/// nghttp2's stream user data): an I/O layer keeps its per-stream object here and asks the
/// connection for state, instead of a second table and flags that mirror the connection's.
/// </summary>
public sealed partial class H2Connection
{
    /// <summary>The streams that are live (reserved, open or half-closed), for counting and enumerating.</summary>
    /// <remarks>Do not change streams while enumerating; collect what to do, then do it.</remarks>
    public LiveStreamCollection LiveStreams => new(Streams.Live);

    /// <summary>What the connection knows of a stream now.</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="info">The stream's state, header blocks, body lengths and attached object, when it is live.</param>
    /// <returns>Whether the stream is live; a stream that is idle or closed has no entry.</returns>
    public bool TryGetStream(int streamId, out StreamInfo info)
    {
        if (Streams.TryGet(streamId, out H2Stream? stream))
        {
            info = new StreamInfo(stream);
            return true;
        }

        info = default;
        return false;
    }

    /// <summary>The state of a stream: that of a live one, else <see cref="StreamState.Idle"/> for an identifier not yet used and <see cref="StreamState.Closed"/> for one used before.</summary>
    /// <param name="streamId">A positive stream identifier.</param>
    /// <returns>The state.</returns>
    public StreamState GetStreamState(int streamId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(streamId);
        return Streams.TryGet(streamId, out H2Stream? stream) ? stream.State
            : Streams.IsIdle(streamId) ? StreamState.Idle
            : StreamState.Closed;
    }

    /// <summary>The object attached to a live stream, or <see langword="null"/>.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The object, or <see langword="null"/> when none is attached or the stream is not live.</returns>
    public object? GetStreamUserData(int streamId) => Streams.TryGet(streamId, out H2Stream? stream) ? stream.UserData : null;

    /// <summary>
    /// Attaches the application's object to a live stream. Events about the stream hand it back
    /// (<see cref="Events.IEventSink"/>), the last of them being the one that closes the stream
    /// from the peer's side; when the stream closes the connection lets go of it.
    /// </summary>
    /// <param name="streamId">The stream: opened or promised, and not closed.</param>
    /// <param name="userData">The object, or <see langword="null"/> to detach.</param>
    /// <exception cref="StreamClosedException">The stream is closed.</exception>
    /// <exception cref="NoSuchStreamException">The stream was never opened.</exception>
    public void SetStreamUserData(int streamId, object? userData) => Streams.Require(streamId).UserData = userData;
}
