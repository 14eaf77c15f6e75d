using System.Buffers;
using H2.Events;

namespace H2.Net.Session;

/// <summary>
/// The reading side of a session: the loop that feeds received bytes to the connection, and the
/// routing of each event, as the connection produces it, to the stream record that comes with it.
/// </summary>
internal abstract partial class H2Session : IEventSink
{
    private const int ReadBufferSize = 64 * 1024;

    // Work that runs user code or changes streams, gathered while the connection reads and run once
    // it has returned and the lock is released; the reader's alone.
    private readonly List<Action> _later = [];

    /// <summary>Handles one event under <see cref="Sync"/>; <paramref name="stream"/> is its stream's record, if any.</summary>
    protected abstract void OnEvent(Event @event, SessionStream? stream);

    /// <summary>Called by the reader, outside the lock, after the events of one read have been handled.</summary>
    protected virtual void AfterEvents()
    {
    }

    /// <summary>Runs <paramref name="action"/> once the connection has returned and the lock is released.</summary>
    protected void Later(Action action) => _later.Add(action);

    void IEventSink.OnEvent(Event receivedEvent, object? streamUserData)
    {
        switch (receivedEvent)
        {
            case StreamReset reset:
                H2NetMetrics.Resets.Add(1, Role, reset.RemoteReset ? s_receivedTag : s_sentTag);
                break;
            case ConnectionTerminated:
                H2NetMetrics.GoAways.Add(1, Role, s_receivedTag);
                break;
        }

        OnEvent(receivedEvent, streamUserData as SessionStream);
    }

    /// <summary>Gives flow-control credit back for body octets the application has consumed.</summary>
    public void Acknowledge(int streamId, int length)
    {
        lock (Sync)
        {
            if (!Connection.IsClosed)
            {
                Connection.AcknowledgeReceivedData(length, streamId);
                OpenWindow(_window.Read(length));
            }
        }

        SignalWriter();
    }

    /// <summary>
    /// Opens the connection's receive window to its most at once, for a peer whose data the
    /// application chose to receive (a client's responses) rather than data pushed at it. Called
    /// under <see cref="Sync"/> before the loops start.
    /// </summary>
    protected void OpenConnectionWindow() => OpenWindow(_window.OpenFully());

    private void OpenWindow(int increment)
    {
        if (increment > 0)
        {
            Connection.IncrementFlowControlWindow(increment);
        }
    }

    /// <summary>Returns flow-control credit for body octets nobody will read; called under <see cref="Sync"/>.</summary>
    protected void ReturnCredit(int length)
    {
        if (length > 0 && !Connection.IsClosed)
        {
            Connection.AcknowledgeReceivedData(length);
        }
    }

    /// <summary>A body's first read found nothing while the peer waits for 100 (Continue); servers answer it.</summary>
    public virtual void SendContinue(int streamId)
    {
    }

    /// <summary>
    /// A read of the stream's body was cancelled through <paramref name="token"/>; returns what the
    /// reader throws. A server's handler may still answer, so nothing more happens by default.
    /// </summary>
    public virtual OperationCanceledException ReadCancelled(SessionStream stream, CancellationToken token) => new(token);

    /// <summary>A body stream was disposed: nobody will read the rest, so its credit goes back now (the stream may be closed already).</summary>
    public virtual void BodyDisposed(H2BodyStream body, int streamId)
    {
        lock (Sync)
        {
            ReturnCredit(body.Abandon());
        }

        SignalWriter();
    }

    /// <summary>Routes the events common to both roles; called under <see cref="Sync"/>.</summary>
    protected void OnCommonEvent(Event @event, SessionStream? stream)
    {
        switch (@event)
        {
            case DataReceived data when stream is not null:
                if (!stream.Body.Enqueue(data.Data, data.FlowControlledLength, out int unread))
                {
                    // Thousands of tiny DATA frames queued unread: a flood, not a body.
                    LimitTripped("body_chunks");
                    ResetLater(stream, ErrorCode.EnhanceYourCalm);
                }

                ReturnCredit(unread);
                break;
            case DataReceived data:
                ReturnCredit(data.FlowControlledLength);
                break;
            case TrailersReceived trailers when stream is not null:
                stream.Body.Complete(trailers.Headers);
                break;
            case StreamEnded when stream is not null:
                stream.BodyIfCreated?.Complete(null);
                ReleaseIfClosed(stream);
                break;
            case StreamReset reset when stream is { Forgotten: false }:
                Forget(stream);
                bool bodyEnded = stream.BodyIfCreated?.IsCompleteUnderLock ?? false;
                stream.Abort(reset.ErrorCode, ResetFailure(reset, stream.Id));
                if (!bodyEnded)
                {
                    ReturnCredit(stream.AbandonBody());
                }

                // A body that had ended stays readable: RFC 9113 §8.1 lets a server answer before
                // the request is all sent and then reset it with NO_ERROR, and the client MUST NOT
                // discard that response; only what was still to come is lost to a reset.
                Later(stream.CancelToken);
                break;
            case WindowUpdated window when window.StreamId == 0:
                WakeAllWriters();
                break;
            case WindowUpdated when stream is not null:
                stream.WindowChanged();
                break;
            case RemoteSettingsChanged changed when changed.ChangedSettings.ContainsKey(SettingCode.InitialWindowSize)
                                                    || changed.ChangedSettings.ContainsKey(SettingCode.MaxFrameSize):
                WakeAllWriters();
                break;
            case ConnectionTerminated goAway:
                _goAwayReceived = (goAway.ErrorCode, goAway.LastStreamId);
                BeginClosing();
                break;
        }
    }

    /// <summary>What a reset stream's waits fail with: the reset, or the GOAWAY that refused the stream (RFC 9113 §6.8).</summary>
    private Exception ResetFailure(StreamReset reset, int streamId)
    {
        if (reset is { RemoteReset: true, ErrorCode: ErrorCode.RefusedStream } && _goAwayReceived is (_, int last) && streamId > last)
        {
            return ConnectionFailure(streamId);
        }

        return new H2StreamException(
            reset.ErrorCode,
            streamId,
            reset.RemoteReset
                ? $"Stream {streamId} was reset by the peer ({reset.ErrorCode})."
                : $"Stream {streamId} was reset after the peer broke the protocol on it ({reset.ErrorCode}).",
            requestNotProcessed: reset is { RemoteReset: true, ErrorCode: ErrorCode.RefusedStream });
    }

    /// <summary>Resets a stream once the lock is released; its own method, so the closure is allocated only when used.</summary>
    private void ResetLater(SessionStream stream, ErrorCode code) => Later(() => Reset(stream, code));

    private void WakeAllWriters()
    {
        foreach (StreamInfo info in Connection.LiveStreams)
        {
            (info.UserData as SessionStream)?.WindowChanged();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                // A peer that sends but does not read must not make us queue without bound.
                await _writer.WaitForTransportAsync(4 * OutboundHighWater, _shutdown.Token).ConfigureAwait(false);

                // Wait for data with no buffer (a zero-byte read), so an idle connection holds
                // none; the buffer is rented for one read and returned once its bytes are handled.
                await _transport.ReadAsync(Memory<byte>.Empty, _shutdown.Token).ConfigureAwait(false);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
                ProtocolException? error;
                try
                {
                    int read = await _transport.ReadAsync(buffer, _shutdown.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    error = Receive(buffer.AsSpan(0, read));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                SignalWriter();
                RunLater();
                AfterEvents();
                if (error is not null)
                {
                    _failure = error;
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Failed(e);
        }
        finally
        {
            CloseStreams();
        }
    }

    /// <summary>Hands received bytes to the connection, which routes its events here; returns the connection error, if any.</summary>
    private ProtocolException? Receive(ReadOnlySpan<byte> received)
    {
        lock (Sync)
        {
            try
            {
                Connection.ReceiveData(received, this);
                return null;
            }
            catch (ProtocolException e)
            {
                // The connection has queued its GOAWAY.
                GoAwaySent();
                if (e.ErrorCode == ErrorCode.EnhanceYourCalm)
                {
                    LimitTripped("denial_of_service");
                }

                return e;
            }
            finally
            {
                ReportFrames();
            }
        }
    }

    private void CloseStreams()
    {
        List<SessionStream> streams = [];
        lock (Sync)
        {
            _readerDone = true;
            _finishWhenDrained = true;
            foreach (StreamInfo info in Connection.LiveStreams)
            {
                if (info.UserData is SessionStream { Forgotten: false } stream)
                {
                    streams.Add(stream);
                }
            }

            foreach (SessionStream stream in streams)
            {
                stream.Abort(ErrorCode.Cancel, ConnectionFailure(stream.Id));
                Forget(stream);
            }
        }

        foreach (SessionStream stream in streams)
        {
            stream.CancelToken();
        }

        StreamReleased.Pulse();
        lock (Sync)
        {
            GrantTurns();
        }

        // Let the writer flush what is queued (a GOAWAY, say) and stop.
        _writer.PulseDrained();
        SignalWriter();
    }

    private void RunLater()
    {
        foreach (Action action in _later)
        {
            action();
        }

        _later.Clear();
    }
}
