namespace H2;

/// <summary>
/// A frame is too short to hold the fields its type and flags require, or has a fixed-size
/// payload of the wrong length (RFC 9113 §4.2): FRAME_SIZE_ERROR.
/// </summary>
public sealed class FrameDataMissingException : ProtocolException
{
    /// <summary>Creates a connection error.</summary>
    /// <param name="message">What was missing.</param>
    public FrameDataMissingException(string message)
        : base(ErrorCode.FrameSizeError, message)
    {
    }

    /// <summary>Creates a stream error when <paramref name="streamId"/> is set, else a connection error.</summary>
    /// <param name="message">What was missing.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/>.</param>
    public FrameDataMissingException(string message, int? streamId)
        : base(ErrorCode.FrameSizeError, message, streamId)
    {
    }
}
