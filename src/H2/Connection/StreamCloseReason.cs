namespace H2.Connection;

/// <summary>How a stream closed, which decides how late frames on it are answered (RFC 9113 §5.1, "closed").</summary>
internal enum StreamCloseReason : byte
{
    /// <summary>Both sides sent END_STREAM.</summary>
    EndStream,

    /// <summary>We sent RST_STREAM: frames already in flight are ignored.</summary>
    ResetSent,

    /// <summary>As <see cref="ResetSent"/>, and late frames have been seen since (they cost one glitch per stream, not one per frame).</summary>
    ResetSentLateFramesSeen,

    /// <summary>The peer sent RST_STREAM: it must send nothing more.</summary>
    ResetReceived,

    /// <summary>Closed so long ago it has been forgotten, or never opened but skipped over.</summary>
    Unknown,
}
