using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2.Connection;

/// <summary>
/// The parts of one connection that its sending side (<see cref="H2Connection"/>'s methods) and
/// its receiving side (<see cref="FrameDispatcher"/>) share, and the steps both take: applying a
/// settings change to the parts it governs, giving flow-control credit back, making a stream.
/// </summary>
internal sealed class ConnectionContext
{
    public ConnectionContext(H2Configuration config)
    {
        Config = config;
        Log = ConnectionLog.For(config.Logger);
        Streams = new StreamTable(config.ClientSide, config.MaxClosedStreams);
        Settings = new SettingsExchange(config);
        Defence = new FloodDefence(config);
        HeaderSender = new HeaderBlockSender(config, Settings.Remote);
        Reader = new FrameReader(expectClientPreface: !config.ClientSide, expectSettingsFirst: true)
        {
            MaxContinuationFrames = config.MaxContinuationFrames,
            MaxHeaderBlockSize = config.MaxHeaderBlockSize,
        };

        // Our header list limit protects us from the start, before the peer has seen it.
        Decoder = new HpackDecoder { MaxHeaderListSize = config.MaxHeaderListSize, HeaderListHardLimit = config.HeaderListHardLimit };
    }

    public H2Configuration Config { get; }

    public ConnectionLog? Log { get; }

    public StreamTable Streams { get; }

    public FlowControl Flow { get; } = new();

    public SettingsExchange Settings { get; }

    public ConnectionState State { get; } = new();

    public OutboundQueue Outbound { get; } = new();

    public FloodDefence Defence { get; }

    public HeaderBlockSender HeaderSender { get; }

    public FrameReader Reader { get; }

    public HpackDecoder Decoder { get; }

    /// <summary>Whether an application's event sink is running, mid-way through received input.</summary>
    public bool Delivering { get; set; }

    /// <summary>A stream object for a new stream, its windows as the settings in force set them.</summary>
    public H2Stream TakeStream(int streamId, bool isLocal) =>
        Streams.Take(streamId, isLocal, Settings.Remote.InitialWindowSize, Settings.Local.InitialWindowSize);

    /// <summary>Puts our acknowledged settings into force in the parts they govern.</summary>
    public void ApplyLocal(Dictionary<SettingCode, ChangedSetting> changes)
    {
        foreach (ChangedSetting change in changes.Values)
        {
            switch (change.Setting)
            {
                case SettingCode.HeaderTableSize:
                    Decoder.MaxAllowedTableSize = (int)Math.Min(change.NewValue, int.MaxValue);
                    break;
                case SettingCode.MaxFrameSize:
                    Reader.MaxFrameSize = (int)change.NewValue;
                    break;
                case SettingCode.MaxHeaderListSize:
                    Decoder.MaxHeaderListSize = (int)Math.Min(change.NewValue, int.MaxValue);
                    break;
                case SettingCode.InitialWindowSize:
                    FlowControl.ShiftReceive(Streams.Live, (int)((long)change.NewValue - (change.OriginalValue ?? FlowControl.InitialWindow)));
                    break;
            }
        }
    }

    /// <summary>Checks and applies the peer's settings, and puts them into force in the parts they govern.</summary>
    /// <exception cref="ProtocolException">A value is not allowed, or a stream window would pass 2^31-1.</exception>
    public Dictionary<SettingCode, ChangedSetting> ApplyRemote(Setting[] settings)
    {
        int oldWindow = Settings.Remote.InitialWindowSize;
        Dictionary<SettingCode, ChangedSetting> changes = Settings.ReceiveRemote(settings);

        // RFC 9113 §6.9.2: the change applies to every stream's window, which may go negative.
        if (changes.ContainsKey(SettingCode.InitialWindowSize)
            && !FlowControl.TryShiftSend(Streams.Live, (long)Settings.Remote.InitialWindowSize - oldWindow))
        {
            throw new FlowControlException("SETTINGS_INITIAL_WINDOW_SIZE grows a stream window past 2^31-1.");
        }

        if (changes.ContainsKey(SettingCode.HeaderTableSize))
        {
            HeaderSender.TableSizeChanged();
        }

        return changes;
    }

    /// <summary>Gives the connection window back octets processed or dropped, sending WINDOW_UPDATE once enough has gathered.</summary>
    public void ReturnCredit(int length)
    {
        int increment = Flow.Acknowledge(length);
        if (increment > 0)
        {
            QueueWindowUpdate(0, increment);
        }
    }

    public void QueueWindowUpdate(int streamId, int increment)
    {
        WindowUpdateFrame.Write(Outbound, streamId, increment);
        Outbound.MarkControlFrame(acknowledgement: false);
    }
}
