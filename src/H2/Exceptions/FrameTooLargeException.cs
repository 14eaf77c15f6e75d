namespace H2;

/// <summary>
/// A frame's length is above the SETTINGS_MAX_FRAME_SIZE we announced (RFC 9113 §4.2): FRAME_SIZE_ERROR.
/// </summary>
public sealed class FrameTooLargeException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="length">The length field of the offending frame.</param>
    /// <param name="maxFrameSize">The largest payload we accept.</param>
    public FrameTooLargeException(int length, int maxFrameSize)
        : base(ErrorCode.FrameSizeError, $"Frame payload of {length} octets exceeds the maximum frame size of {maxFrameSize}.")
    {
        Length = length;
        MaxFrameSize = maxFrameSize;
    }

    /// <summary>The length field of the offending frame.</summary>
    public int Length { get; }

    /// <summary>The largest payload that was allowed.</summary>
    public int MaxFrameSize { get; }
}
