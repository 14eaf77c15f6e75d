using H2.Frames;

namespace H2;

/// <summary>The connection-level actions of <see cref="H2Connection"/>: PING, GOAWAY, SETTINGS, ALTSVC, ORIGIN, priorities and extension frames.</summary>
public sealed partial class H2Connection
{
    /// <summary>Sends a PING; the peer's acknowledgement arrives as a <see cref="Events.PingAckReceived"/> event.</summary>
    /// <param name="opaqueData">Exactly eight octets, echoed back by the peer.</param>
    /// <exception cref="ArgumentException">The data is not eight octets long.</exception>
    public void Ping(ReadOnlySpan<byte> opaqueData)
    {
        ThrowIfClosed();
        PingFrame.Write(Outbound, opaqueData);
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>
    /// Sends GOAWAY. With <see cref="ErrorCode.NoError"/> the shutdown is graceful: streams up to
    /// the last stream identifier run to completion and only new streams are refused; call again
    /// with a lower identifier to narrow it. With any other code the connection is finished.
    /// </summary>
    /// <param name="errorCode">Why the connection closes.</param>
    /// <param name="additionalData">Opaque diagnostic data for the peer.</param>
    /// <param name="lastStreamId">The highest peer stream that may still be processed; by default the highest one received.</param>
    /// <exception cref="ArgumentException">The last stream identifier is higher than one already announced.</exception>
    public void CloseConnection(ErrorCode errorCode = ErrorCode.NoError, ReadOnlySpan<byte> additionalData = default, int? lastStreamId = null)
    {
        if (State.IsClosed)
        {
            return;
        }

        int last = lastStreamId ?? State.LastProcessed(Streams.HighestInbound);
        ArgumentOutOfRangeException.ThrowIfNegative(last, nameof(lastStreamId));
        if (State.GoAwaySentLastStreamId is int previous && last > previous)
        {
            // RFC 9113 §6.8: the last stream identifier must not grow between GOAWAY frames.
            throw new ArgumentException($"A GOAWAY already announced last stream {previous}; it may not grow to {last}.", nameof(lastStreamId));
        }

        GoAwayFrame.Write(Outbound, last, errorCode, additionalData);
        Outbound.MarkControlFrame(acknowledgement: false);
        State.SentGoAway(last, error: errorCode != ErrorCode.NoError);
        _context.Log?.Debug($"sent GOAWAY ({errorCode}, last stream {last})");
    }

    /// <summary>
    /// Sends new values for our settings. They take effect when the peer acknowledges them
    /// (a <see cref="Events.SettingsAcknowledged"/> event), each frame on its own acknowledgement.
    /// </summary>
    /// <param name="newSettings">The settings to change.</param>
    /// <exception cref="InvalidSettingsValueException">A value is not allowed (RFC 9113 §6.5.2, RFC 8441 §3).</exception>
    public void UpdateSettings(IReadOnlyDictionary<SettingCode, uint> newSettings)
    {
        ArgumentNullException.ThrowIfNull(newSettings);
        ThrowIfClosed();
        Setting[] settings = _context.Settings.CheckUpdate(newSettings);
        SettingsFrame.Write(Outbound, settings);
        Outbound.MarkControlFrame(acknowledgement: false);
        _context.Settings.Sent(settings);
    }

    /// <summary>
    /// Advertises an alternative service (ALTSVC, RFC 7838), servers only: either for an origin on
    /// stream 0, or for the origin of a stream's request.
    /// </summary>
    /// <param name="fieldValue">The Alt-Svc field value, for example <c>h2="alt.example.com:443"; ma=3600</c>.</param>
    /// <param name="origin">The origin it applies to (ASCII serialized origin); or <see langword="null"/> with a stream.</param>
    /// <param name="streamId">The stream whose origin is meant; or <see langword="null"/> with an origin.</param>
    /// <exception cref="ArgumentException">Both or neither of origin and stream were given.</exception>
    /// <exception cref="UnsupportedFrameException">This is a client.</exception>
    public void AdvertiseAlternativeService(string fieldValue, string? origin = null, int? streamId = null)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        ThrowIfClosed();
        if (_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only servers send ALTSVC (RFC 7838 §4).");
        }

        if ((origin is null) == (streamId is null))
        {
            throw new ArgumentException("Give either an origin or a stream, not both.", nameof(origin));
        }

        if (streamId is int id)
        {
            Streams.Require(id);
        }

        AltSvcFrame.Write(Outbound, streamId ?? 0, origin ?? string.Empty, fieldValue);
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Lists the origins this server is authoritative for on the connection (ORIGIN, RFC 8336), servers only.</summary>
    /// <param name="origins">ASCII serialized origins such as <c>https://example.com</c>.</param>
    /// <exception cref="UnsupportedFrameException">This is a client.</exception>
    public void SendOrigins(IReadOnlyList<string> origins)
    {
        ArgumentNullException.ThrowIfNull(origins);
        ThrowIfClosed();
        if (_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only servers send ORIGIN (RFC 8336 §2).");
        }

        OriginFrame.Write(Outbound, origins);
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Sends an RFC 7540 PRIORITY frame for a stream; RFC 9113 deprecates these but peers may use them.</summary>
    /// <param name="streamId">The stream; it may be idle.</param>
    /// <param name="weight">1 to 256.</param>
    /// <param name="dependsOn">The stream it depends on; not itself.</param>
    /// <param name="exclusive">Whether the dependency is exclusive.</param>
    /// <exception cref="ArgumentException">The stream would depend on itself.</exception>
    public void Prioritize(int streamId, int weight = StreamPriority.DefaultWeight, int dependsOn = 0, bool exclusive = false)
    {
        ThrowIfClosed();
        ArgumentOutOfRangeException.ThrowIfLessThan(streamId, 1);
        if (dependsOn == streamId)
        {
            throw new ArgumentException("A stream cannot depend on itself (RFC 9113 §5.3.1).", nameof(dependsOn));
        }

        PriorityFrame.Write(Outbound, streamId, new StreamPriority(dependsOn, weight, exclusive));
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>Sets the priority of a request with an RFC 9218 PRIORITY_UPDATE frame, clients only.</summary>
    /// <param name="streamId">The request stream; it may not be open yet.</param>
    /// <param name="priorityFieldValue">A Priority field value such as <c>u=1, i</c>.</param>
    /// <exception cref="UnsupportedFrameException">This is a server.</exception>
    public void SendPriorityUpdate(int streamId, string priorityFieldValue)
    {
        ArgumentNullException.ThrowIfNull(priorityFieldValue);
        ThrowIfClosed();
        if (!_config.ClientSide)
        {
            throw new UnsupportedFrameException("Only clients send PRIORITY_UPDATE (RFC 9218 §7.1).");
        }

        new PriorityUpdateFrame(streamId, priorityFieldValue).WriteTo(Outbound);
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    /// <summary>
    /// Sends a frame of an extension type (RFC 9113 §5.5) as given. The core frame types are
    /// refused: they have their own methods, which keep the connection state right.
    /// </summary>
    /// <param name="type">The type code, above CONTINUATION (0x9).</param>
    /// <param name="flags">The flag bits.</param>
    /// <param name="streamId">The stream, or 0.</param>
    /// <param name="payload">The payload, at most <see cref="MaxOutboundFrameSize"/> octets.</param>
    /// <exception cref="ArgumentException">A core type, or a payload too large.</exception>
    public void SendExtensionFrame(FrameType type, FrameFlags flags, int streamId, ReadOnlySpan<byte> payload)
    {
        ThrowIfClosed();
        if ((byte)type <= (byte)FrameType.Continuation)
        {
            throw new ArgumentException($"{type} frames are sent with their own methods.", nameof(type));
        }

        if (payload.Length > MaxOutboundFrameSize)
        {
            throw new ArgumentException($"The payload exceeds the peer's maximum frame size of {MaxOutboundFrameSize}.", nameof(payload));
        }

        UnknownFrame.Write(Outbound, type, flags, streamId, payload);
        Outbound.MarkControlFrame(acknowledgement: false);
    }

    private static void ValidateConfiguration(H2Configuration config)
    {
        if (config.HeaderTableSize < 0 || config.MaxConcurrentStreams < 0 || config.InitialWindowSize < 0 || config.MaxHeaderListSize < 0)
        {
            throw new ArgumentException("Settings in the configuration must not be negative.", nameof(config));
        }

        if (config.MaxFrameSize is < FrameReader.DefaultMaxFrameSize or > FrameReader.MaxAllowedFrameSize)
        {
            throw new ArgumentException("MaxFrameSize must be 16,384 to 2^24-1 (RFC 9113 §6.5.2).", nameof(config));
        }

        if (config.MaxClosedStreams < 0 || config.MaxContinuationFrames < 0 || config.MaxHeaderBlockSize < 0 || config.MaxEncoderTableSize < 0
            || config.HeaderListHardLimit < 0 || config.MaxPendingAcknowledgements < 0 || config.MaxPendingControlFrames < 0 || config.MaxSettingsPerFrame < 0)
        {
            throw new ArgumentException("Limits in the configuration must not be negative.", nameof(config));
        }

        ArgumentNullException.ThrowIfNull(config.TimeProvider, nameof(config));
        foreach (RateLimit? limit in (ReadOnlySpan<RateLimit?>)[config.InboundResetRateLimit, config.GlitchRateLimit])
        {
            if (limit is { } given && (given.Burst < 1 || !(given.PerSecond >= 0) || double.IsInfinity(given.PerSecond)))
            {
                throw new ArgumentException("A rate limit needs a burst of at least 1 and a finite rate of 0 or more.", nameof(config));
            }
        }
    }
}
