namespace H2.Events;

/// <summary>The peer acknowledged one of our PINGs.</summary>
public sealed class PingAckReceived : Event
{
    internal PingAckReceived(ReadOnlyMemory<byte> pingData)
    {
        PingData = pingData;
    }

    /// <summary>The eight opaque octets.</summary>
    public ReadOnlyMemory<byte> PingData { get; }

    /// <inheritdoc/>
    public override string ToString() => $"PingAckReceived({Convert.ToHexString(PingData.Span)})";
}
