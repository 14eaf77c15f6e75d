namespace H2.Frames;

/// <summary>
/// What a frame parser found wrong with a frame's own format (RFC 9113 §4.2, §6), in one shape for
/// every frame type: how far it reaches — nowhere, the connection (§5.4.1), the stream alone
/// (§5.4.2), or a frame to ignore (RFC 7838 §4, RFC 8336 §2.1) — the error code, and a reason for
/// logs and exception messages. The reader turns it into a thrown or handed-on exception.
/// </summary>
internal readonly record struct FrameError(FrameError.Scope Reach, ErrorCode Code, string? Reason, bool DataMissing)
{
    /// <summary>How far an error in a frame's format reaches.</summary>
    public enum Scope : byte
    {
        /// <summary>The frame is well formed.</summary>
        None,

        /// <summary>A connection error.</summary>
        Connection,

        /// <summary>A stream error: the frame changes no connection state.</summary>
        Stream,

        /// <summary>A frame the RFCs say to ignore.</summary>
        Ignore,
    }

    public static FrameError None => default;

    public static FrameError Ignore => new(Scope.Ignore, ErrorCode.NoError, null, DataMissing: false);

    public bool IsNone => Reach == Scope.None;

    public static FrameError Connection(ErrorCode code, string reason) => new(Scope.Connection, code, reason, DataMissing: false);

    public static FrameError Stream(ErrorCode code, string reason) => new(Scope.Stream, code, reason, DataMissing: false);

    /// <summary>A payload too short or too long for the frame's fields: FRAME_SIZE_ERROR (h2's <c>FrameDataMissingError</c>).</summary>
    public static FrameError Size(string reason, bool streamOnly = false) =>
        new(streamOnly ? Scope.Stream : Scope.Connection, ErrorCode.FrameSizeError, reason, DataMissing: true);

    /// <summary>
    /// A frame that concerns the whole connection (SETTINGS, PING, GOAWAY, PRIORITY_UPDATE) sent
    /// on a stream, or none when it is on stream 0 (RFC 9113 §6.5, §6.7, §6.8; RFC 9218 §7.1).
    /// </summary>
    public static FrameError UnlessStreamZero(in FrameHeader header) =>
        header.StreamId == 0 ? None : Connection(ErrorCode.ProtocolError, $"{header.Type.RfcName()} frame on stream {header.StreamId}; it belongs on stream 0.");

    /// <summary>A payload shorter than the frame's fixed fields, or none when it is long enough.</summary>
    public static FrameError UnlessAtLeast(in FrameHeader header, int length, int minimum) =>
        length >= minimum ? None : Size($"{header.Type.RfcName()} frame of {length} octets; it needs at least {minimum}.");

    /// <summary>The error as the exception the connection throws or a handler is given.</summary>
    public ProtocolException ToException(int streamId)
    {
        int? stream = Reach == Scope.Stream ? streamId : null;
        return DataMissing ? new FrameDataMissingException(Reason!, stream) : new ProtocolException(Code, Reason!, stream);
    }
}
