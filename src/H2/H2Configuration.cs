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
    public IH2Logger? Logger { get => _logger; init => _logger = value; }

    private IH2Logger? _logger;

    /// <summary>
    /// A copy of this configuration with another logger: an I/O layer gives each connection a
    /// logger of its own (one that tags messages with the connection, say) without knowing the
    /// configuration's other values.
    /// </summary>
    /// <param name="logger">The copy's logger.</param>
    /// <returns>The copy.</returns>
    public H2Configuration WithLogger(IH2Logger? logger)
    {
        var copy = (H2Configuration)MemberwiseClone();
        copy._logger = logger;
        return copy;
    }

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
    /// older ones are forgotten so a long-lived connection does not grow. Late frames arrive within
    /// a round trip, so a window's worth of streams is enough: default 100, as the default
    /// <see cref="MaxConcurrentStreams"/> (nghttp2 keeps as many as the concurrency limit, too).
    /// </summary>
    public int MaxClosedStreams { get; init; } = 100;

    /// <summary>The most CONTINUATION frames one header block may use. Default 8.</summary>
    public int MaxContinuationFrames { get; init; } = Frames.FrameReader.DefaultMaxContinuationFrames;

    /// <summary>The largest encoded header block accepted, all fragments together. Default 256 KiB.</summary>
    public int MaxHeaderBlockSize { get; init; } = Frames.FrameReader.DefaultMaxHeaderBlockSize;

    /// <summary>
    /// The largest HPACK table our encoder will keep, whatever SETTINGS_HEADER_TABLE_SIZE the peer
    /// announces, so a peer cannot make us hold a large table per connection. Default 4,096.
    /// </summary>
    public int MaxEncoderTableSize { get; init; } = 4096;

    /// <summary>
    /// The decoded header list size at which a header block is abandoned and the connection closed
    /// (COMPRESSION_ERROR), rather than decoded to its end and only the stream refused.
    /// <see langword="null"/> (the default) means twice <see cref="MaxHeaderListSize"/>: a peer a
    /// little over our limit gets a stream error (servers answer 431), one far over loses the
    /// connection.
    /// </summary>
    public int? HeaderListHardLimit { get; init; }

    /// <summary>
    /// Where the rate limits read the time. Default <see cref="TimeProvider.System"/>; tests pass a
    /// fake one. The connection reads it only when it counts a reset or a glitch.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Servers: how fast the peer may reset streams (RST_STREAM) before the connection is closed
    /// with ENHANCE_YOUR_CALM, against Rapid Reset (CVE-2023-44487). Default a burst of 1,000 and
    /// 33 a second; <see langword="null"/> turns the limit off.
    /// </summary>
    public RateLimit? InboundResetRateLimit { get; init; } = new(1000, 33);

    /// <summary>
    /// How fast the peer may cause "glitches" before the connection is closed with
    /// ENHANCE_YOUR_CALM: stream errors it makes us send (MadeYouReset, CVE-2025-8671), empty DATA
    /// frames and header block fragments that do not end anything, PRIORITY and PRIORITY_UPDATE
    /// frames, frames on streams we reset, unexpected extension frames, stray acknowledgements.
    /// Default a burst of 10,000 and 330 a second; <see langword="null"/> turns the limit off.
    /// </summary>
    public RateLimit? GlitchRateLimit { get; init; } = new(10000, 330);

    /// <summary>
    /// Servers: a stream the peer resets, or that we reset because of the peer's error, while our
    /// response is unfinished keeps counting against <see cref="MaxConcurrentStreams"/> until the
    /// application calls <see cref="H2Connection.CompleteStreamWork"/> (or tries to send on it), so
    /// resets cannot make the server work on more requests at once than it allows. Default on.
    /// </summary>
    public bool HoldResetStreams { get; init; } = true;

    /// <summary>
    /// The most SETTINGS and PING acknowledgements that may wait in the outbound buffer; a peer that
    /// sends more than we are given the chance to answer gets ENHANCE_YOUR_CALM. Default 1,000.
    /// </summary>
    public int MaxPendingAcknowledgements { get; init; } = 1000;

    /// <summary>
    /// The most control frames (anything but HEADERS, CONTINUATION, PUSH_PROMISE and DATA) that may
    /// wait in the outbound buffer while we receive; beyond it, ENHANCE_YOUR_CALM. Default 10,000.
    /// </summary>
    public int MaxPendingControlFrames { get; init; } = 10000;

    /// <summary>The most settings one SETTINGS frame may carry; more is ENHANCE_YOUR_CALM. Default 32.</summary>
    public int MaxSettingsPerFrame { get; init; } = 32;
}
