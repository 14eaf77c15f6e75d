using System.Buffers;
using System.Buffers.Binary;
using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2.Connection;

/// <summary>
/// The SETTINGS exchange of RFC 9113 §6.5: ours are built from the configuration, sent, and wait
/// for the peer's acknowledgement, each frame on its own (§6.5.3); the peer's are checked (§6.5.2)
/// and in force at once. Each step returns the change set, which the connection applies to the
/// HPACK coder, the frame reader and the windows.
/// </summary>
internal sealed class SettingsExchange(H2Configuration config)
{
    /// <summary>Ours: those in force, and those sent but not yet acknowledged.</summary>
    public Settings Local { get; } = new();

    /// <summary>The peer's, in force as soon as received.</summary>
    public Settings Remote { get; } = new();

    /// <summary>Our settings as the configuration gives them, for the connection preface.</summary>
    public Setting[] Initial()
    {
        var settings = new List<Setting>
        {
            new(SettingCode.MaxConcurrentStreams, (uint)config.MaxConcurrentStreams),
            new(SettingCode.InitialWindowSize, (uint)config.InitialWindowSize),
            new(SettingCode.MaxHeaderListSize, (uint)config.MaxHeaderListSize),
        };
        if (config.HeaderTableSize != HpackDecoder.DefaultHeaderTableSize)
        {
            settings.Add(new(SettingCode.HeaderTableSize, (uint)config.HeaderTableSize));
        }

        if (config.MaxFrameSize != FrameReader.DefaultMaxFrameSize)
        {
            settings.Add(new(SettingCode.MaxFrameSize, (uint)config.MaxFrameSize));
        }

        // Clients say whether they take pushes (the RFC's default is yes); a server never accepts
        // pushes, and RFC 9113 §6.5.2 forbids it to announce ENABLE_PUSH = 1.
        if (config.ClientSide)
        {
            settings.Add(new(SettingCode.EnablePush, config.EnablePush ? 1u : 0u));
        }

        if (config.EnableConnectProtocol && !config.ClientSide)
        {
            settings.Add(new(SettingCode.EnableConnectProtocol, 1));
        }

        if (config.NoRfc7540Priorities)
        {
            settings.Add(new(SettingCode.NoRfc7540Priorities, 1));
        }

        return [.. settings];
    }

    /// <summary>Checks new values for our settings before they are sent (RFC 9113 §6.5.2, RFC 8441 §3).</summary>
    /// <exception cref="InvalidSettingsValueException">A value is not allowed.</exception>
    public Setting[] CheckUpdate(IReadOnlyDictionary<SettingCode, uint> newSettings)
    {
        var settings = new List<Setting>(newSettings.Count);
        foreach ((SettingCode code, uint value) in newSettings)
        {
            var setting = new Setting(code, value);
            bool connectWithdrawn = code == SettingCode.EnableConnectProtocol && value == 0 && Local.Eventual(code) == 1;
            if (Local.Check(setting) is not null || connectWithdrawn || (code == SettingCode.EnablePush && value == 1 && !config.ClientSide))
            {
                throw new InvalidSettingsValueException($"The value {value} is not allowed for {code}.");
            }

            settings.Add(setting);
        }

        return [.. settings];
    }

    /// <summary>Our settings have been sent; they take effect on their acknowledgement.</summary>
    public void Sent(IReadOnlyList<Setting> settings) => Local.AddPending(settings);

    /// <summary>The peer acknowledged our oldest pending SETTINGS frame: what changed, or <see langword="null"/> when nothing was pending.</summary>
    public Dictionary<SettingCode, ChangedSetting>? Acknowledged() => Local.Acknowledge();

    /// <summary>Puts our settings in force at once (RFC 7540 §3.2.1: the 101 response acknowledges those of an upgrade).</summary>
    public Dictionary<SettingCode, ChangedSetting> ApplyLocalNow(Setting[] settings) => Local.Apply(settings);

    /// <summary>
    /// Checks and applies the peer's settings, all of one frame, in order (RFC 9113 §6.5.3);
    /// returns what changed.
    /// </summary>
    /// <exception cref="InvalidSettingsValueException">A value is not allowed: a connection error of the code it carries.</exception>
    public Dictionary<SettingCode, ChangedSetting> ReceiveRemote(Setting[] settings)
    {
        foreach (Setting setting in settings)
        {
            if (Remote.Check(setting) is ErrorCode code)
            {
                throw new InvalidSettingsValueException(code, $"Invalid value {setting.Value} for {setting.Code}.");
            }

            if (setting.Code == SettingCode.EnablePush && setting.Value == 1 && config.ClientSide)
            {
                // RFC 9113 §6.5.2: a server never announces ENABLE_PUSH = 1.
                throw new InvalidSettingsValueException("A server announced SETTINGS_ENABLE_PUSH = 1.");
            }
        }

        return Remote.Apply(settings);
    }

    /// <summary>Our settings as the base64url value of an <c>HTTP2-Settings</c> header (RFC 7540 §3.2.1).</summary>
    public static string EncodeHeader(Setting[] settings)
    {
        var writer = new ArrayBufferWriter<byte>();
        SettingsFrame.Write(writer, settings);
        return Convert.ToBase64String(writer.WrittenSpan[FrameHeader.Size..]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The settings an <c>HTTP2-Settings</c> header carries.</summary>
    /// <exception cref="ArgumentException">The header is not base64url, or not whole settings.</exception>
    public static Setting[] DecodeHeader(string header)
    {
        string base64 = header.Trim().Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The HTTP2-Settings header is not base64url.", nameof(header), e);
        }

        if (payload.Length % Setting.Size != 0)
        {
            throw new ArgumentException("The HTTP2-Settings header does not hold whole settings.", nameof(header));
        }

        var settings = new Setting[payload.Length / Setting.Size];
        for (int i = 0; i < settings.Length; i++)
        {
            ReadOnlySpan<byte> entry = payload.AsSpan(i * Setting.Size, Setting.Size);
            settings[i] = new Setting((SettingCode)((entry[0] << 8) | entry[1]), BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }

        return settings;
    }
}
