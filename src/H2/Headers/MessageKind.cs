namespace H2.Headers;

/// <summary>What a header block is, which decides the rules it must follow (RFC 9113 §8.1, §8.3).</summary>
internal enum MessageKind : byte
{
    Request,
    Response,
    Trailers,

    /// <summary>The request of a PUSH_PROMISE: a request whose method must be safe and cacheable (RFC 9113 §8.4).</summary>
    PushedRequest,
}
