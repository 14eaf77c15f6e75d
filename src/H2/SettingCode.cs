namespace H2;

/// <summary>
/// Identifiers of the settings carried in SETTINGS frames (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1).
/// </summary>
/// <remarks>
/// Settings with identifiers this enumeration does not name are kept as their number: RFC 9113
/// §6.5.2 says an endpoint must ignore a setting it does not understand, not reject it.
/// </remarks>
public enum SettingCode : ushort
{
    /// <summary>SETTINGS_HEADER_TABLE_SIZE (0x1): the largest HPACK dynamic table the sender's decoder allows.</summary>
    HeaderTableSize = 0x1,

    /// <summary>SETTINGS_ENABLE_PUSH (0x2): 0 forbids server push towards the sender, 1 allows it.</summary>
    EnablePush = 0x2,

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS (0x3): how many streams the sender lets its peer open.</summary>
    MaxConcurrentStreams = 0x3,

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE (0x4): the sender's initial stream-level flow-control window.</summary>
    InitialWindowSize = 0x4,

    /// <summary>SETTINGS_MAX_FRAME_SIZE (0x5): the largest frame payload the sender will accept.</summary>
    MaxFrameSize = 0x5,

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE (0x6): advisory limit on the size of a decoded header list.</summary>
    MaxHeaderListSize = 0x6,

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (0x8, RFC 8441): 1 allows the extended CONNECT method.</summary>
    EnableConnectProtocol = 0x8,

    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES (0x9, RFC 9218): 1 says the sender ignores RFC 7540 priority signals.</summary>
    NoRfc7540Priorities = 0x9,
}
