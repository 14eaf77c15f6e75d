using System.Collections;
using H2.Hpack;

namespace H2.Net.Session;

/// <summary>
/// A final header block as the connection reads it — a pseudo-header field, then the message's
/// fields — without copying them into an array of its own. One per session, filled and read under
/// the session lock while the block is encoded; the connection keeps nothing of it.
/// </summary>
internal sealed class MessageHeadView : IReadOnlyList<HeaderField>
{
    private HeaderField _first;
    private List<HeaderField>? _rest;

    public int Count => 1 + (_rest?.Count ?? 0);

    public HeaderField this[int index] => index == 0 ? _first : _rest![index - 1];

    /// <summary>Shows <paramref name="first"/> then <paramref name="rest"/>.</summary>
    public MessageHeadView Show(HeaderField first, List<HeaderField>? rest)
    {
        _first = first;
        _rest = rest;
        return this;
    }

    /// <summary>Lets go of the fields once the block is encoded.</summary>
    public void Clear()
    {
        _first = default;
        _rest = null;
    }

    public IEnumerator<HeaderField> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
