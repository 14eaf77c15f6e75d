namespace H2.Events;

/// <summary>The peer sent a PING; the acknowledgement is already queued.</summary>
public sealed class PingReceived : Event
{
    internal PingReceived(ReadOnlyMemory<byte> pingData)
    {
        PingData = pingData;
    }

    /// <summary>The eight opaque octets.</summary>
    public ReadOnlyMemory<byte> PingData { get; }

    /// <inheritdoc/>
    public override string ToString() => $"PingReceived({Convert.ToHexString(PingData.Span)})";
}
