namespace H2.Frames;

/// <summary>
/// What a frame parser found wrong with a frame's own format (RFC 9113 §4.2, §6), in one shape for
/// every frame type: how far it reaches — nowhere, the connection (§5.4.1), the stream alone
/// (§5.4.2), or a frame to ignore (RFC 7838 §4, RFC 8336 §2.1) — the error code, and a reason for
/// logs and exception messages. The reader turns it into a thrown or handed-on exception.
/// </summary>
/// <remarks>
/// A parser returns <see langword="null"/> for a well-formed frame: one reference in a register,
/// so the path every good frame takes costs a null test; only a faulty frame builds an object.
/// </remarks>
internal sealed record class FrameError(FrameError.Scope Reach, ErrorCode Code, string? Reason, bool DataMissing)
{
    /// <summary>How far an error in a frame's format reaches.</summary>
    public enum Scope : byte
    {
        /// <summary>A connection error.</summary>
        Connection,

        /// <summary>A stream error: the frame changes no connection state.</summary>
        Stream,

        /// <summary>A frame the RFCs say to ignore.</summary>
        Ignore,
    }

    /// <summary>A frame the RFCs say to ignore; one instance serves every such frame.</summary>
    public static FrameError Ignore { get; } = new(Scope.Ignore, ErrorCode.NoError, null, DataMissing: false);

    public static FrameError Connection(ErrorCode code, string reason) => new(Scope.Connection, code, reason, DataMissing: false);

    public static FrameError Stream(ErrorCode code, string reason) => new(Scope.Stream, code, reason, DataMissing: false);

    /// <summary>A payload too short or too long for the frame's fields: FRAME_SIZE_ERROR (h2's <c>FrameDataMissingError</c>).</summary>
    public static FrameError Size(string reason, bool streamOnly = false) =>
        new(streamOnly ? Scope.Stream : Scope.Connection, ErrorCode.FrameSizeError, reason, DataMissing: true);

    /// <summary>
    /// A frame that concerns the whole connection (SETTINGS, PING, GOAWAY, PRIORITY_UPDATE) sent
    /// on a stream, or none when it is on stream 0 (RFC 9113 §6.5, §6.7, §6.8; RFC 9218 §7.1).
    /// </summary>
    public static FrameError? UnlessStreamZero(in FrameHeader header) =>
        header.StreamId == 0 ? null : Connection(ErrorCode.ProtocolError, $"{header.Type.RfcName()} frame on stream {header.StreamId}; it belongs on stream 0.");

    /// <summary>A payload shorter than the frame's fixed fields, or none when it is long enough.</summary>
    public static FrameError? UnlessAtLeast(in FrameHeader header, int length, int minimum) =>
        length >= minimum ? null : Size($"{header.Type.RfcName()} frame of {length} octets; it needs at least {minimum}.");

    /// <summary>
    /// Acts on what a parser found: a well-formed frame (no error) is to be handed on; a
    /// connection error is thrown; a stream error goes to the handler (RFC 9113 §5.4.2: the frame
    /// changes no connection state); a frame the RFCs say to ignore is handed on as unknown.
    /// </summary>
    /// <returns>Whether the frame is to be handed on.</returns>
    public static bool Accept(FrameError? error, in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler) =>
        error is null || error.Refuse(header, payload, handler);

    /// <summary>The error as the exception the connection throws or a handler is given.</summary>
    public ProtocolException ToException(int streamId)
    {
        int? stream = Reach == Scope.Stream ? streamId : null;
        return DataMissing ? new FrameDataMissingException(Reason!, stream) : new ProtocolException(Code, Reason!, stream);
    }

    private bool Refuse(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        switch (Reach)
        {
            case Scope.Stream:
                handler.OnStreamError(ToException(header.StreamId));
                return false;
            case Scope.Ignore:
                handler.OnUnknownFrame(header, payload);
                return false;
            default:
                throw ToException(header.StreamId);
        }
    }
}
