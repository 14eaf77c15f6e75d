namespace H2.Connection;

/// <summary>What a transition of the stream state machine means, beyond the new state.</summary>
internal enum StreamOutcome : byte
{
    /// <summary>The input is allowed.</summary>
    Allowed,

    /// <summary>Sending this is a local misuse: the stream is closed for it (nothing is queued).</summary>
    SendOnClosedStream,

    /// <summary>Sending this is a local misuse in this state (for example DATA on an idle stream).</summary>
    SendNotAllowed,

    /// <summary>Receiving this is a stream error STREAM_CLOSED (RFC 9113 §5.1, half-closed (remote)).</summary>
    StreamClosedError,

    /// <summary>Receiving this is a connection error PROTOCOL_ERROR (RFC 9113 §5.1, idle and reserved states).</summary>
    ConnectionProtocolError,
}
