using H2.Frames;

namespace H2.Events;

/// <summary>A frame of a type H2Sharp does not interpret arrived; RFC 9113 §5.5 has it ignored, but here it is.</summary>
public sealed class UnknownFrameReceived : Event
{
    internal UnknownFrameReceived(UnknownFrame frame)
    {
        Frame = frame;
    }

    /// <summary>The frame: type, flags, stream and raw payload.</summary>
    public UnknownFrame Frame { get; }

    /// <inheritdoc/>
    public override string ToString() => $"UnknownFrameReceived(type 0x{(byte)Frame.Type:x2}, stream {Frame.StreamId}, {Frame.PayloadLength} octets)";
}
