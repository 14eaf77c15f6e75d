namespace H2;

/// <summary>
/// How an <see cref="H2Connection"/> behaves: its role, header checks, logging, the settings it
/// announces, and its protective limits. The names follow h2's <c>H2Configuration</c>; settings
/// and limits are H2Sharp's additions, each with a safe default.
/// </summary>
public sealed class H2Configuration
{
    /// <summary>Whether this endpoint is the client (it sends the connection preface and opens odd streams).</summary>
    public bool ClientSide { get; init; }

    /// <summary>Check the header fields we send against RFC 9113 §8.2 and §8.3 before encoding them.</summary>
    public bool ValidateOutboundHeaders { get; init; } = true;

    /// <summary>Tidy the header fields we send: lowercase names, trim surrounding whitespace from values.</summary>
    public bool NormalizeOutboundHeaders { get; init; } = true;

    /// <summary>Check received header fields; a malformed message is a stream error (RFC 9113 §8.1.1).</summary>
    public bool ValidateInboundHeaders { get; init; } = true;

    /// <summary>Tidy received header fields: join multiple <c>cookie</c> fields into one (RFC 9113 §8.2.3).</summary>
    public bool NormalizeInboundHeaders { get; init; } = true;

    /// <summary>Send each <c>cookie</c> crumb as its own field, which compresses better (RFC 9113 §8.2.3).</summary>
    public bool SplitOutboundCookies { get; init; }

    /// <summary>Where log messages go; <see langword="null"/> (the default) turns logging off at no cost.</summary>
    public IH2Logger? Logger { get; init; }

    /// <summary>SETTINGS_HEADER_TABLE_SIZE we announce: the HPACK table our decoder allows. Default 4,096.</summary>
    public int HeaderTableSize { get; init; } = 4096;

    /// <summary>
    /// SETTINGS_ENABLE_PUSH we announce, clients only (a server never accepts push). Default
    /// <see langword="false"/>: few clients want pushed responses.
    /// </summary>
    public bool EnablePush { get; init; }

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS we announce: how many streams the peer may have open. Default 100.</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE we announce: each stream's receive window. Default 65,535.</summary>
    public int InitialWindowSize { get; init; } = 65535;

    /// <summary>SETTINGS_MAX_FRAME_SIZE we announce: the largest frame we accept, 16,384 to 2^24-1. Default 16,384.</summary>
    public int MaxFrameSize { get; init; } = 16384;

    /// <summary>
    /// SETTINGS_MAX_HEADER_LIST_SIZE we announce and enforce, counting each field as name + value + 32
    /// octets. Default 65,536.
    /// </summary>
    public int MaxHeaderListSize { get; init; } = 65536;

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL we announce (RFC 8441), servers only: accept extended CONNECT. Default off.</summary>
    public bool EnableConnectProtocol { get; init; }

    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES we announce (RFC 9218): we ignore RFC 7540 priority signals. Default off.</summary>
    public bool NoRfc7540Priorities { get; init; }

    /// <summary>
    /// How many closed streams are remembered, to answer late frames on them as RFC 9113 §5.1 asks;
    /// older ones are forgotten so a long-lived connection does not grow. Default 1,000.
    /// </summary>
    public int MaxClosedStreams { get; init; } = 1000;

    /// <summary>The most CONTINUATION frames one header block may use. Default 8.</summary>
    public int MaxContinuationFrames { get; init; } = Frames.FrameReader.DefaultMaxContinuationFrames;

    /// <summary>The largest encoded header block accepted, all fragments together. Default 256 KiB.</summary>
    public int MaxHeaderBlockSize { get; init; } = Frames.FrameReader.DefaultMaxHeaderBlockSize;

    /// <summary>
    /// The largest HPACK table our encoder will keep, whatever SETTINGS_HEADER_TABLE_SIZE the peer
    /// announces, so a peer cannot make us hold a large table per connection. Default 4,096.
    /// </summary>
    public int MaxEncoderTableSize { get; init; } = 4096;
}
