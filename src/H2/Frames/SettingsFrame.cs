using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace H2.Frames;

/// <summary>
/// A SETTINGS frame (RFC 9113 §6.5): the sender's configuration, or with ACK set an empty
/// acknowledgement of the peer's.
/// </summary>
public sealed class SettingsFrame : Frame
{
    /// <summary>Creates a SETTINGS frame carrying settings.</summary>
    /// <param name="settings">The settings, in the order to send them.</param>
    public SettingsFrame(IReadOnlyList<Setting> settings)
        : base(0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
    }

    private SettingsFrame()
        : base(0)
    {
        Settings = [];
        Ack = true;
    }

    /// <summary>An empty SETTINGS frame with ACK set.</summary>
    public static SettingsFrame Acknowledgement { get; } = new();

    /// <summary>The settings; empty when <see cref="Ack"/> is set.</summary>
    public IReadOnlyList<Setting> Settings { get; }

    /// <summary>Whether ACK is set.</summary>
    public bool Ack { get; }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Settings;

    /// <inheritdoc/>
    public override FrameFlags Flags => Ack ? FrameFlags.Ack : FrameFlags.None;

    /// <inheritdoc/>
    public override int PayloadLength => Settings.Count * Setting.Size;

    /// <summary>Writes a SETTINGS frame without creating a <see cref="SettingsFrame"/>.</summary>
    /// <param name="destination">Receives the frame.</param>
    /// <param name="settings">The settings, in the order to send them.</param>
    public static void Write(IBufferWriter<byte> destination, ReadOnlySpan<Setting> settings)
    {
        Span<byte> payload = BeginFrame(destination, FrameType.Settings, FrameFlags.None, 0, settings.Length * Setting.Size, out int total);
        for (int i = 0; i < settings.Length; i++)
        {
            WriteSetting(payload[(i * Setting.Size)..], settings[i]);
        }

        destination.Advance(total);
    }

    /// <summary>Writes an empty SETTINGS frame with ACK set.</summary>
    /// <param name="destination">Receives the frame.</param>
    public static void WriteAck(IBufferWriter<byte> destination)
    {
        BeginFrame(destination, FrameType.Settings, FrameFlags.Ack, 0, 0, out int total);
        destination.Advance(total);
    }

    /// <summary>The settings in words for logs, with the RFC's names: <c>MAX_CONCURRENT_STREAMS=100, INITIAL_WINDOW_SIZE=65535</c>.</summary>
    internal static string Describe(ReadOnlySpan<Setting> settings)
    {
        if (settings.IsEmpty)
        {
            return "no settings";
        }

        var text = new System.Text.StringBuilder();
        foreach (Setting setting in settings)
        {
            text.Append(text.Length == 0 ? "" : ", ").Append(RfcName(setting.Code)).Append('=').Append(setting.Value);
        }

        return text.ToString();
    }

    private static string RfcName(SettingCode code) => code switch
    {
        SettingCode.HeaderTableSize => "HEADER_TABLE_SIZE",
        SettingCode.EnablePush => "ENABLE_PUSH",
        SettingCode.MaxConcurrentStreams => "MAX_CONCURRENT_STREAMS",
        SettingCode.InitialWindowSize => "INITIAL_WINDOW_SIZE",
        SettingCode.MaxFrameSize => "MAX_FRAME_SIZE",
        SettingCode.MaxHeaderListSize => "MAX_HEADER_LIST_SIZE",
        SettingCode.EnableConnectProtocol => "ENABLE_CONNECT_PROTOCOL",
        SettingCode.NoRfc7540Priorities => "NO_RFC7540_PRIORITIES",
        _ => $"0x{(ushort)code:x}",
    };

    /// <summary>Validates a received SETTINGS frame.</summary>
    internal static FrameError? Parse(in FrameHeader header, ReadOnlySpan<byte> payload) =>
        header.StreamId != 0 ? FrameError.UnlessStreamZero(header) // RFC 9113 §6.5
        : header.HasFlag(FrameFlags.Ack) && payload.Length != 0 ? FrameError.Size($"SETTINGS acknowledgement with a payload of {payload.Length} octets; it must be empty.")
        : payload.Length % Setting.Size != 0 ? FrameError.Size($"SETTINGS frame of {payload.Length} octets is not a multiple of 6.")
        : null;

    /// <summary>Parses a received frame of this type and hands it, or its error, to <paramref name="handler"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // keeps the reader's loop free of every type's locals
    internal static void Deliver(in FrameHeader header, ReadOnlySpan<byte> payload, IFrameHandler handler)
    {
        if (FrameError.Accept(Parse(header, payload), header, payload, handler))
        {
            handler.OnSettings(header.HasFlag(FrameFlags.Ack), new SettingsPayload(payload));
        }
    }

    private protected override void WritePayload(Span<byte> destination)
    {
        for (int i = 0; i < Settings.Count; i++)
        {
            WriteSetting(destination[(i * Setting.Size)..], Settings[i]);
        }
    }

    private static void WriteSetting(Span<byte> destination, Setting setting)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)setting.Code);
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], setting.Value);
    }
}
