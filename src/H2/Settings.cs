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

    // Unknown identifiers must be ignored (RFC 9113 §6.5.2); a few are kept for the application
    // to see, but no more, so a peer cannot make a connection hold one entry per identifier.
    private const int MaxUnknownSettings = 16;

    // The settings this class knows, indexed by identifier (0x7 is unassigned and stays unused):
    // a fixed array, not a dictionary, as every connection holds two of these for its lifetime.
    private readonly uint[] _known = [0, 4096, 1, Unlimited, 65535, 16384, Unlimited, 0, 0, 0];
    private List<KeyValuePair<SettingCode, uint>>? _unknown;

    private readonly Queue<IReadOnlyList<Frames.Setting>> _pending = new();

    internal Settings()
    {
    }

    /// <summary>SETTINGS_HEADER_TABLE_SIZE: the largest HPACK dynamic table this side's decoder allows.</summary>
    public uint HeaderTableSize => _known[(int)SettingCode.HeaderTableSize];

    /// <summary>SETTINGS_ENABLE_PUSH: whether this side accepts server push.</summary>
    public bool EnablePush => _known[(int)SettingCode.EnablePush] == 1;

    /// <summary>SETTINGS_MAX_CONCURRENT_STREAMS: how many streams this side lets its peer open (<see cref="Unlimited"/> if not set).</summary>
    public uint MaxConcurrentStreams => _known[(int)SettingCode.MaxConcurrentStreams];

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE: the initial window of every stream towards this side.</summary>
    public int InitialWindowSize => (int)_known[(int)SettingCode.InitialWindowSize];

    /// <summary>SETTINGS_MAX_FRAME_SIZE: the largest frame payload this side accepts.</summary>
    public int MaxFrameSize => (int)_known[(int)SettingCode.MaxFrameSize];

    /// <summary>SETTINGS_MAX_HEADER_LIST_SIZE: the largest header list this side accepts (<see cref="Unlimited"/> if not set).</summary>
    public uint MaxHeaderListSize => _known[(int)SettingCode.MaxHeaderListSize];

    /// <summary>SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441): whether this side accepts extended CONNECT.</summary>
    public bool EnableConnectProtocol => _known[(int)SettingCode.EnableConnectProtocol] == 1;

    /// <summary>SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218): whether this side ignores RFC 7540 priority signals.</summary>
    public bool NoRfc7540Priorities => _known[(int)SettingCode.NoRfc7540Priorities] == 1;

    /// <summary>How many SETTINGS frames of ours await acknowledgement (always 0 for the remote side).</summary>
    public int PendingCount => _pending.Count;

    /// <inheritdoc/>
    public int Count => 8 + (_unknown?.Count ?? 0);

    /// <inheritdoc/>
    public IEnumerable<SettingCode> Keys => this.Select(pair => pair.Key);

    /// <inheritdoc/>
    public IEnumerable<uint> Values => this.Select(pair => pair.Value);

    /// <summary>The value in force for a setting.</summary>
    /// <param name="key">The setting.</param>
    /// <exception cref="KeyNotFoundException">An unknown setting that was never set.</exception>
    public uint this[SettingCode key] => TryGetValue(key, out uint value) ? value : throw new KeyNotFoundException($"Setting {key} has no value.");

    /// <inheritdoc/>
    public bool ContainsKey(SettingCode key) => TryGetValue(key, out _);

    /// <inheritdoc/>
    public bool TryGetValue(SettingCode key, out uint value)
    {
        if (IsKnown(key))
        {
            value = _known[(int)key];
            return true;
        }

        foreach (KeyValuePair<SettingCode, uint> pair in _unknown ?? [])
        {
            if (pair.Key == key)
            {
                value = pair.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<SettingCode, uint>> GetEnumerator()
    {
        for (int code = 1; code < _known.Length; code++)
        {
            if (IsKnown((SettingCode)code))
            {
                yield return new((SettingCode)code, _known[code]);
            }
        }

        foreach (KeyValuePair<SettingCode, uint> pair in _unknown ?? [])
        {
            yield return pair;
        }
    }

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
                : TryGetValue(setting.Code, out uint value) ? value : null;
            if (Set(setting.Code, setting.Value))
            {
                changes[setting.Code] = new ChangedSetting(setting.Code, original, setting.Value);
            }
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
        uint value = TryGetValue(code, out uint current) ? current : 0;
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

    private static bool IsKnown(SettingCode code) => code is >= SettingCode.HeaderTableSize and <= SettingCode.MaxHeaderListSize or SettingCode.EnableConnectProtocol or SettingCode.NoRfc7540Priorities;

    /// <summary>Sets a value; <see langword="false"/> for an unknown identifier past the few that are kept.</summary>
    private bool Set(SettingCode code, uint value)
    {
        if (IsKnown(code))
        {
            _known[(int)code] = value;
            return true;
        }

        _unknown ??= [];
        for (int i = 0; i < _unknown.Count; i++)
        {
            if (_unknown[i].Key == code)
            {
                _unknown[i] = new(code, value);
                return true;
            }
        }

        if (_unknown.Count >= MaxUnknownSettings)
        {
            return false;
        }

        _unknown.Add(new(code, value));
        return true;
    }
}
