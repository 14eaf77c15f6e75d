using System.Collections;
using System.Globalization;

namespace H2.Net.Logging;

/// <summary>
/// The state of a log scope around one stream's work (a handler, say): structured sinks see
/// <c>ConnectionId</c> and <c>StreamId</c> as properties, text sinks a short tag.
/// </summary>
internal sealed class StreamScope(long connectionId, int streamId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new("ConnectionId", connectionId),
        1 => new("StreamId", streamId),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"connection {connectionId} stream {streamId}");
}
