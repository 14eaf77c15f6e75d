namespace H2.Events;

/// <summary>
/// Body data arrived on a stream. Once the application has dealt with it, it calls
/// <see cref="H2Connection.AcknowledgeReceivedData(int, int)"/> with <see cref="FlowControlledLength"/>
/// so the peer's flow-control window is opened again.
/// </summary>
public sealed class DataReceived : Event
{
    internal DataReceived(int streamId, ReadOnlyMemory<byte> data, int flowControlledLength, StreamEnded? streamEnded)
    {
        StreamId = streamId;
        Data = data;
        FlowControlledLength = flowControlledLength;
        StreamEnded = streamEnded;
    }

    /// <summary>The stream.</summary>
    public int StreamId { get; }

    /// <summary>The data, padding removed; a copy that belongs to the application.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>How much of the flow-control windows the frame used, padding included.</summary>
    public int FlowControlledLength { get; }

    /// <summary>The <see cref="Events.StreamEnded"/> event of the same frame, if it ended the stream.</summary>
    public StreamEnded? StreamEnded { get; }

    /// <inheritdoc/>
    public override string ToString() => $"DataReceived(stream {StreamId}, {Data.Length} octets{(StreamEnded is null ? "" : ", ended")})";
}
