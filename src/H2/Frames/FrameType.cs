namespace H2.Frames;

/// <summary>
/// Frame type codes: RFC 9113 §6, ALTSVC (RFC 7838), ORIGIN (RFC 8336) and PRIORITY_UPDATE (RFC 9218).
/// Any other value is an extension type, read as an <see cref="UnknownFrame"/>.
/// </summary>
public enum FrameType : byte
{
    /// <summary>DATA (0x0): request or response content.</summary>
    Data = 0x0,

    /// <summary>HEADERS (0x1): opens a stream and carries a header block fragment.</summary>
    Headers = 0x1,

    /// <summary>PRIORITY (0x2): the deprecated RFC 7540 priority of a stream.</summary>
    Priority = 0x2,

    /// <summary>RST_STREAM (0x3): ends a stream at once.</summary>
    RstStream = 0x3,

    /// <summary>SETTINGS (0x4): configuration of the sender, or the acknowledgement of the peer's.</summary>
    Settings = 0x4,

    /// <summary>PUSH_PROMISE (0x5): announces a stream the server will push.</summary>
    PushPromise = 0x5,

    /// <summary>PING (0x6): measures round trips and checks that the connection lives.</summary>
    Ping = 0x6,

    /// <summary>GOAWAY (0x7): starts the shutdown of a connection.</summary>
    GoAway = 0x7,

    /// <summary>WINDOW_UPDATE (0x8): grants flow-control credit.</summary>
    WindowUpdate = 0x8,

    /// <summary>CONTINUATION (0x9): continues a header block.</summary>
    Continuation = 0x9,

    /// <summary>ALTSVC (0xa, RFC 7838): advertises an alternative service.</summary>
    AltSvc = 0xa,

    /// <summary>ORIGIN (0xc, RFC 8336): lists the origins the connection is authoritative for.</summary>
    Origin = 0xc,

    /// <summary>PRIORITY_UPDATE (0x10, RFC 9218): the priority of a request, as an HTTP Priority field value.</summary>
    PriorityUpdate = 0x10,
}
