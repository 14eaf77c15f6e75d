using H2.Hpack;

namespace H2.Net.Session;

/// <summary>Builds a message's final header block when it is about to be sent, so it goes out in the same step as the first data.</summary>
internal interface IMessageHead
{
    /// <summary>The fields, pseudo-header fields first, shown through the session's <paramref name="view"/> (read under the lock, not kept).</summary>
    IReadOnlyList<HeaderField> Build(MessageHeadView view);
}
