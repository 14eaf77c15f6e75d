namespace H2.Frames;

/// <summary>
/// An <see cref="IFrameHandler"/> that turns every frame into a <see cref="Frame"/> object, copying
/// payloads, and collects them in order: the easy way to read frames when allocation does not matter.
/// It is the one place header blocks are joined: a HEADERS or PUSH_PROMISE frame and the
/// CONTINUATION frames after it become one frame with the whole block.
/// </summary>
public sealed class FrameCollector : IFrameHandler
{
    // The header block being joined, and the frame it started with.
    private readonly System.Buffers.ArrayBufferWriter<byte> _block = new();
    private FrameType _blockType;
    private int _blockStreamId;
    private int _blockPromisedStreamId;
    private bool _blockEndStream;
    private StreamPriority? _blockPriority;

    /// <summary>The frames received so far, in order.</summary>
    public List<Frame> Frames { get; } = [];

    /// <summary>The stream errors reported so far, in order.</summary>
    public List<ProtocolException> StreamErrors { get; } = [];

    /// <inheritdoc/>
    public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength) =>
        Frames.Add(new DataFrame(streamId, data.ToArray(), endStream, flowControlledLength == data.Length ? null : flowControlledLength - data.Length - 1));

    /// <inheritdoc/>
    public void OnHeadersFragment(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders, bool endStream, StreamPriority? priority)
    {
        (_blockType, _blockStreamId, _blockPromisedStreamId, _blockEndStream, _blockPriority) = (FrameType.Headers, streamId, 0, endStream, priority);
        Join(fragment, endHeaders);
    }

    /// <inheritdoc/>
    public void OnPushPromiseFragment(int streamId, int promisedStreamId, ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        (_blockType, _blockStreamId, _blockPromisedStreamId, _blockEndStream, _blockPriority) = (FrameType.PushPromise, streamId, promisedStreamId, false, null);
        Join(fragment, endHeaders);
    }

    /// <inheritdoc/>
    public void OnContinuation(int streamId, ReadOnlySpan<byte> fragment, bool endHeaders) => Join(fragment, endHeaders);

    /// <inheritdoc/>
    public void OnPriority(int streamId, StreamPriority priority) => Frames.Add(new PriorityFrame(streamId, priority));

    /// <inheritdoc/>
    public void OnRstStream(int streamId, ErrorCode errorCode) => Frames.Add(new RstStreamFrame(streamId, errorCode));

    /// <inheritdoc/>
    public void OnSettings(bool ack, SettingsPayload settings) =>
        Frames.Add(ack ? SettingsFrame.Acknowledgement : new SettingsFrame(settings.ToArray()));


    /// <inheritdoc/>
    public void OnPing(bool ack, ReadOnlySpan<byte> opaqueData) => Frames.Add(new PingFrame(opaqueData.ToArray(), ack));

    /// <inheritdoc/>
    public void OnGoAway(int lastStreamId, ErrorCode errorCode, ReadOnlySpan<byte> debugData) =>
        Frames.Add(new GoAwayFrame(lastStreamId, errorCode, debugData.ToArray()));

    /// <inheritdoc/>
    public void OnWindowUpdate(int streamId, int increment) => Frames.Add(new WindowUpdateFrame(streamId, increment));

    /// <inheritdoc/>
    public void OnAltSvc(int streamId, ReadOnlySpan<byte> origin, ReadOnlySpan<byte> fieldValue) =>
        Frames.Add(new AltSvcFrame(streamId, Latin1.GetString(origin), Latin1.GetString(fieldValue)));

    /// <inheritdoc/>
    public void OnOrigin(IReadOnlyList<string> origins) => Frames.Add(new OriginFrame(origins));

    /// <inheritdoc/>
    public void OnPriorityUpdate(int prioritizedStreamId, ReadOnlySpan<byte> priorityFieldValue) =>
        Frames.Add(new PriorityUpdateFrame(prioritizedStreamId, Latin1.GetString(priorityFieldValue)));

    /// <inheritdoc/>
    public void OnUnknownFrame(in FrameHeader header, ReadOnlySpan<byte> payload) =>
        Frames.Add(new UnknownFrame(header.Type, header.Flags, header.StreamId, payload.ToArray()));

    /// <inheritdoc/>
    public void OnStreamError(ProtocolException exception) => StreamErrors.Add(exception);

    /// <summary>Adds a fragment to the block under way; at its end, the whole block becomes one frame.</summary>
    private void Join(ReadOnlySpan<byte> fragment, bool endHeaders)
    {
        fragment.CopyTo(_block.GetSpan(fragment.Length));
        _block.Advance(fragment.Length);
        if (!endHeaders)
        {
            return;
        }

        byte[] block = _block.WrittenSpan.ToArray();
        _block.ResetWrittenCount();
        Frames.Add(_blockType == FrameType.Headers
            ? new HeadersFrame(_blockStreamId, block, _blockEndStream, endHeaders: true, _blockPriority)
            : new PushPromiseFrame(_blockStreamId, _blockPromisedStreamId, block));
    }
}
