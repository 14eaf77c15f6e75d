namespace H2.Events;

/// <summary>A client received an ORIGIN frame (RFC 8336): the origins the server is authoritative for here.</summary>
public sealed class OriginReceived : Event
{
    internal OriginReceived(IReadOnlyList<string> origins)
    {
        Origins = origins;
    }

    /// <summary>The origins, in the order sent.</summary>
    public IReadOnlyList<string> Origins { get; }

    /// <inheritdoc/>
    public override string ToString() => $"OriginReceived({string.Join(", ", Origins)})";
}
