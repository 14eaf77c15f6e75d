using System.Collections;
using System.Diagnostics.CodeAnalysis;
using H2.Events;

namespace H2;

/// <summary>
/// One side's HTTP/2 settings (RFC 9113 §6.5.2), as in h2's <c>Settings</c>: the values in force,
/// plus, for our own settings, the changes sent but not yet acknowledged. Each SETTINGS frame we
/// send takes effect only when the peer acknowledges it, and each acknowledgement applies exactly
/// the oldest unacknowledged frame.
/// </summary>
/// <remarks>
/// Every identifier this class knows has a value (the RFC's initial one until changed); unknown
/// identifiers appear once set. Values are the raw 32-bit numbers of the wire.
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "h2's name; a read-only view of settings.")]
public sealed class Settings : IReadOnlyDictionary<SettingCode, uint>
{
    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS and SETTINGS_MAX_HEADER_LIST_SIZE start unlimited: 2^32-1 stands for that.</summary>
    public const uint Unlimited = uint.MaxValue;

    /// <summary>The largest allowed flow-control window, and SETTINGS_INITIAL_WINDOW_SIZE: 2^31-1.</summary>
    public const uint MaxWindowSize = int.MaxValue;

    private readonly Dictionary<SettingCode, uint> _values = new()
    {
        [SettingCode.HeaderTableSize] = 4096,
        [SettingCode.EnablePush] = 1,
        [SettingCode.MaxConcurrentStreams] = Unlimited,
        [SettingCode.InitialWindowSize] = 65535,
        [SettingCode.MaxFrameSize] = 16384,
        [SettingCode.MaxHeaderListSize] = Unlimited,
        [SettingCode.EnableConnectProtocol] = 0,
        [SettingCode.NoRfc7540Priorities] = 0,
    };

    private readonly Queue<IReadOnlyList<Frames.Setting>> _pending = new();

    internal Settings()
    {
    }

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the largest HPACK dynamic table this side's decoder allows.</summary>
    public uint HeaderTableSize => _values[SettingCode.HeaderTableSize];

    /// <summary>SETTINGS_ENABLE_PUSH: whether this side accepts server push.</summary>
    public bool EnablePush => _values[SettingCode.EnablePush] == 1;

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS: how many streams this side lets its peer open (<see cref="Unlimited"/> if not set).</summary>
    public uint MaxConcurrentStreams => _values[SettingCode.MaxConcurrentStreams];

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: the initial window of every stream towards this side.</summary>
    public int InitialWindowSize => (int)_values[SettingCode.InitialWindowSize];

    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest frame payload this side accepts.</summary>
    public int MaxFrameSize => (int)_values[SettingCode.MaxFrameSize];

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: the largest header list this side accepts (<see cref="Unlimited"/> if not set).</summary>
    public uint MaxHeaderListSize => _values[SettingCode.MaxHeaderListSize];

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441): whether this side accepts extended CONNECT.</summary>
    public bool EnableConnectProtocol => _values[SettingCode.EnableConnectProtocol] == 1;

    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218): whether this side ignores RFC 7540 priority signals.</summary>
    public bool NoRfc7540Priorities => _values[SettingCode.NoRfc7540Priorities] == 1;

    /// <summary>How many SETTINGS frames of ours await acknowledgement (always 0 for the remote side).</summary>
    public int PendingCount => _pending.Count;

    /// <inheritdoc/>
    public int Count => _values.Count;

    /// <inheritdoc/>
    public IEnumerable<SettingCode> Keys => _values.Keys;

    /// <inheritdoc/>
    public IEnumerable<uint> Values => _values.Values;

    /// <summary>The value in force for a setting.</summary>
    /// <param name="key">The setting.</param>
    /// <exception cref="KeyNotFoundException">An unknown setting that was never set.</exception>
    public uint this[SettingCode key] => _values[key];

    /// <inheritdoc/>
    public bool ContainsKey(SettingCode key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(SettingCode key, out uint value) => _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<SettingCode, uint>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Checks one value against RFC 9113 §6.5.2, RFC 8441 §3 and RFC 9218 §2.1. Returns the error
    /// code to use, or <see langword="null"/> when the value is acceptable.
    /// </summary>
    internal ErrorCode? Check(Frames.Setting setting) => setting.Code switch
    {
        SettingCode.EnablePush or SettingCode.NoRfc7540Priorities when setting.Value > 1 => ErrorCode.ProtocolError,
        SettingCode.InitialWindowSize when setting.Value > MaxWindowSize => ErrorCode.FlowControlError,
        SettingCode.MaxFrameSize when setting.Value is < 16384 or > 16777215 => ErrorCode.ProtocolError,

        // RFC 8441 §3: 0 or 1, and once 1 it may not go back to 0.
        SettingCode.EnableConnectProtocol when setting.Value > 1 || (setting.Value == 0 && EnableConnectProtocol) => ErrorCode.ProtocolError,
        _ => null,
    };

    /// <summary>Applies values at once (the peer's settings), returning what changed.</summary>
    internal Dictionary<SettingCode, ChangedSetting> Apply(IEnumerable<Frames.Setting> settings)
    {
        var changes = new Dictionary<SettingCode, ChangedSetting>();
        foreach (Frames.Setting setting in settings)
        {
            uint? original = changes.TryGetValue(setting.Code, out ChangedSetting earlier)
                ? earlier.OriginalValue
                : _values.TryGetValue(setting.Code, out uint value) ? value : null;
            _values[setting.Code] = setting.Value;
            changes[setting.Code] = new ChangedSetting(setting.Code, original, setting.Value);
        }

        return changes;
    }

    /// <summary>Records a SETTINGS frame of ours that waits for its acknowledgement.</summary>
    internal void AddPending(IReadOnlyList<Frames.Setting> settings) => _pending.Enqueue(settings);

    /// <summary>Applies the oldest pending frame on its acknowledgement; <see langword="null"/> if none was pending.</summary>
    internal Dictionary<SettingCode, ChangedSetting>? Acknowledge() =>
        _pending.TryDequeue(out IReadOnlyList<Frames.Setting>? settings) ? Apply(settings) : null;

    /// <summary>The value a setting will have once every pending frame is acknowledged.</summary>
    internal uint Eventual(SettingCode code)
    {
        uint value = _values.TryGetValue(code, out uint current) ? current : 0;
        foreach (IReadOnlyList<Frames.Setting> frame in _pending)
        {
            foreach (Frames.Setting setting in frame)
            {
                if (setting.Code == code)
                {
                    value = setting.Value;
                }
            }
        }

        return value;
    }
}
