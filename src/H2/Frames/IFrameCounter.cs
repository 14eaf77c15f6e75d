namespace H2.Frames;

/// <summary>
/// A destination that counts the frames written into it (a connection's outbound queue, for
/// metrics): the frame writers tell it of each frame, so the frame layer needs to know nothing of
/// what is above it.
/// </summary>
internal interface IFrameCounter
{
    /// <summary>One more frame has been written.</summary>
    void FrameWritten();
}
