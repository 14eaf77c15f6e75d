namespace H2.Connection;

/// <summary>
/// What a stream's rules say of something the peer sent (RFC 9113 §5.4) when it is not allowed:
/// a stream error, answered with RST_STREAM and the code; or a connection error, answered with
/// GOAWAY. The reason is for logs and exception messages. What is allowed is no verdict at all
/// (<see langword="null"/>), so the path every good frame takes costs a null test.
/// </summary>
internal sealed record class StreamVerdict(StreamVerdict.Scope Kind, ErrorCode Code, string Reason)
{
    /// <summary>How far an error reaches.</summary>
    public enum Scope : byte
    {
        /// <summary>The stream is reset (RFC 9113 §5.4.2).</summary>
        Stream,

        /// <summary>The connection ends (RFC 9113 §5.4.1).</summary>
        Connection,
    }

    public static StreamVerdict StreamError(ErrorCode code, string reason) => new(Scope.Stream, code, reason);

    public static StreamVerdict ConnectionError(ErrorCode code, string reason) => new(Scope.Connection, code, reason);
}
