namespace H2;

/// <summary>
/// The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY frames and by every
/// <see cref="H2Exception"/>.
/// </summary>
/// <remarks>
/// A peer may send a code this enumeration does not name; such a value is kept as its number
/// (cast it to <see cref="uint"/> to read it). RFC 9113 §7 says unknown codes must not trigger
/// special behaviour.
/// </remarks>
public enum ErrorCode : uint
{
    /// <summary>NO_ERROR (0x0): a graceful shutdown or a stream no longer needed.</summary>
    NoError = 0x0,

    /// <summary>PROTOCOL_ERROR (0x1): an unspecific protocol violation.</summary>
    ProtocolError = 0x1,

    /// <summary>INTERNAL_ERROR (0x2): the endpoint met an unexpected internal error.</summary>
    InternalError = 0x2,

    /// <summary>FLOW_CONTROL_ERROR (0x3): the peer broke the flow-control protocol.</summary>
    FlowControlError = 0x3,

    /// <summary>SETTINGS_TIMEOUT (0x4): a SETTINGS frame was not acknowledged in time.</summary>
    SettingsTimeout = 0x4,

    /// <summary>STREAM_CLOSED (0x5): a frame arrived after the stream was half-closed.</summary>
    StreamClosed = 0x5,

    /// <summary>FRAME_SIZE_ERROR (0x6): a frame had an invalid size.</summary>
    FrameSizeError = 0x6,

    /// <summary>REFUSED_STREAM (0x7): the stream was refused before any application processing.</summary>
    RefusedStream = 0x7,

    /// <summary>CANCEL (0x8): the stream is no longer needed.</summary>
    Cancel = 0x8,

    /// <summary>COMPRESSION_ERROR (0x9): the field-compression context can no longer be maintained.</summary>
    CompressionError = 0x9,

    /// <summary>CONNECT_ERROR (0xa): the connection made for a CONNECT request was reset or closed.</summary>
    ConnectError = 0xa,

    /// <summary>ENHANCE_YOUR_CALM (0xb): the peer shows behaviour that might be generating excessive load.</summary>
    EnhanceYourCalm = 0xb,

    /// <summary>INADEQUATE_SECURITY (0xc): the transport does not meet minimum security requirements.</summary>
    InadequateSecurity = 0xc,

    /// <summary>HTTP_1_1_REQUIRED (0xd): the endpoint requires HTTP/1.1 instead of HTTP/2.</summary>
    Http11Required = 0xd,
}
