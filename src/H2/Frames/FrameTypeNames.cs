namespace H2.Frames;

/// <summary>Frame types as the RFCs spell them, for messages a reader of a trace will recognise.</summary>
internal static class FrameTypeNames
{
    /// <summary>The type's RFC name (<c>RST_STREAM</c>), or its code for an extension type (<c>type 0xb</c>).</summary>
    public static string RfcName(this FrameType type) => type switch
    {
        FrameType.Data => "DATA",
        FrameType.Headers => "HEADERS",
        FrameType.Priority => "PRIORITY",
        FrameType.RstStream => "RST_STREAM",
        FrameType.Settings => "SETTINGS",
        FrameType.PushPromise => "PUSH_PROMISE",
        FrameType.Ping => "PING",
        FrameType.GoAway => "GOAWAY",
        FrameType.WindowUpdate => "WINDOW_UPDATE",
        FrameType.Continuation => "CONTINUATION",
        FrameType.AltSvc => "ALTSVC",
        FrameType.Origin => "ORIGIN",
        FrameType.PriorityUpdate => "PRIORITY_UPDATE",
        _ => $"type 0x{(byte)type:x}",
    };

    /// <summary>What a frame header announces, for a message: <c>HEADERS</c>, <c>a SETTINGS ACK</c>, <c>a frame of type 0xb</c>.</summary>
    public static string Describe(in FrameHeader header) =>
        header.Type is FrameType.Settings or FrameType.Ping && header.HasFlag(FrameFlags.Ack) ? $"a {header.Type.RfcName()} ACK"
        : Enum.IsDefined(header.Type) ? header.Type.RfcName()
        : $"a frame of {header.Type.RfcName()}";
}
