using System.Diagnostics.CodeAnalysis;

namespace H2.Frames;

/// <summary>The flag bits of the frame header (RFC 9113 §4.1); which apply depends on the frame type.</summary>
[Flags]
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The RFC calls these bits the frame's flags.")]
[SuppressMessage("Design", "CA1069:Enums values should not be duplicated", Justification = "RFC 9113 gives bit 0x1 two meanings: END_STREAM and ACK.")]
public enum FrameFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0x0,

    /// <summary>END_STREAM (0x1) on DATA and HEADERS: the sender's last frame on the stream.</summary>
    EndStream = 0x1,

    /// <summary>ACK (0x1) on SETTINGS and PING: an acknowledgement.</summary>
    Ack = 0x1,

    /// <summary>END_HEADERS (0x4) on HEADERS, PUSH_PROMISE and CONTINUATION: the header block is complete.</summary>
    EndHeaders = 0x4,

    /// <summary>PADDED (0x8) on DATA, HEADERS and PUSH_PROMISE: a pad length field and padding are present.</summary>
    Padded = 0x8,

    /// <summary>PRIORITY (0x20) on HEADERS: stream dependency and weight fields are present.</summary>
    Priority = 0x20,
}
