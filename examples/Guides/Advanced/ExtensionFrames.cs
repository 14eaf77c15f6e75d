using H2;
using H2.Events;
using H2.Frames;

namespace H2.Guides.Advanced;

public static class ExtensionFrames
{
    /// <summary>A frame type of our own (RFC 9113 §5.5): peers that do not know it ignore it.</summary>
    public const FrameType Heartbeat = (FrameType)0xF0;

    public static void SendHeartbeat(H2Connection connection, ReadOnlySpan<byte> payload) =>
        connection.SendExtensionFrame(Heartbeat, FrameFlags.None, streamId: 0, payload);

    /// <summary>Reads our frame from the events; other unknown frames are left alone.</summary>
    public static byte[]? ReadHeartbeat(Event @event) =>
        @event is UnknownFrameReceived { Frame.Type: Heartbeat } received ? received.Frame.Payload.ToArray() : null;

    /// <summary>RFC 9218: the client asks for a stream to be urgent and incremental.</summary>
    public static void Reprioritize(H2Connection client, int streamId) =>
        client.SendPriorityUpdate(streamId, "u=1, i");

    /// <summary>Server side: the urgency (0 most urgent, 7 least; 3 by default) from a priority field value.</summary>
    public static int Urgency(string priorityFieldValue)
    {
        foreach (string member in priorityFieldValue.Split(',', StringSplitOptions.TrimEntries))
        {
            if (member.StartsWith("u=", StringComparison.Ordinal) && int.TryParse(member.AsSpan(2), out int urgency) && urgency is >= 0 and <= 7)
            {
                return urgency;
            }
        }

        return 3;
    }
}
