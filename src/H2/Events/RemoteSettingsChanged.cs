namespace H2.Events;

/// <summary>
/// The peer sent SETTINGS; they are already in force and acknowledged (the ACK is queued).
/// </summary>
public sealed class RemoteSettingsChanged : Event
{
    internal RemoteSettingsChanged(IReadOnlyDictionary<SettingCode, ChangedSetting> changedSettings)
    {
        ChangedSettings = changedSettings;
    }

    /// <summary>Each setting the frame carried, with its old and new value.</summary>
    public IReadOnlyDictionary<SettingCode, ChangedSetting> ChangedSettings { get; }

    /// <inheritdoc/>
    public override string ToString() => $"RemoteSettingsChanged({string.Join(", ", ChangedSettings.Values.Select(c => $"{c.Setting}={c.NewValue}"))})";
}
