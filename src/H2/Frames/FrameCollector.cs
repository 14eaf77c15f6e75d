namespace H2.Frames;

/// <summary>
/// An <see cref="IFrameHandler"/> that turns every frame into a <see cref="Frame"/> object, copying
/// payloads, and collects them in order: the easy way to read frames when allocation does not matter.
/// </summary>
public sealed class FrameCollector : IFrameHandler
{
    /// <summary>The frames received so far, in order.</summary>
    public List<Frame> Frames { get; } = [];

    /// <summary>The stream errors reported so far, in order.</summary>
    public List<ProtocolException> StreamErrors { get; } = [];

    /// <inheritdoc/>
    public void OnData(int streamId, ReadOnlySpan<byte> data, bool endStream, int flowControlledLength) =>
        Frames.Add(new DataFrame(streamId, data.ToArray(), endStream, flowControlledLength == data.Length ? null : flowControlledLength - data.Length - 1));

    /// <inheritdoc/>
    public void OnHeaders(int streamId, ReadOnlySpan<byte> headerBlock, bool endStream, StreamPriority? priority) =>
        Frames.Add(new HeadersFrame(streamId, headerBlock.ToArray(), endStream, endHeaders: true, priority));

    /// <inheritdoc/>
    public void OnPriority(int streamId, StreamPriority priority) => Frames.Add(new PriorityFrame(streamId, priority));

    /// <inheritdoc/>
    public void OnRstStream(int streamId, ErrorCode errorCode) => Frames.Add(new RstStreamFrame(streamId, errorCode));

    /// <inheritdoc/>
    public void OnSettings(bool ack, SettingsPayload settings) =>
        Frames.Add(ack ? SettingsFrame.Acknowledgement : new SettingsFrame(settings.ToArray()));

    /// <inheritdoc/>
    public void OnPushPromise(int streamId, int promisedStreamId, ReadOnlySpan<byte> headerBlock) =>
        Frames.Add(new PushPromiseFrame(streamId, promisedStreamId, headerBlock.ToArray()));

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
}
