namespace H2.Events;

/// <summary>The peer acknowledged one of our SETTINGS frames; its values are now in force.</summary>
public sealed class SettingsAcknowledged : Event
{
    internal SettingsAcknowledged(IReadOnlyDictionary<SettingCode, ChangedSetting> changedSettings)
    {
        ChangedSettings = changedSettings;
    }

    /// <summary>The settings that frame carried, with their old and new values.</summary>
    public IReadOnlyDictionary<SettingCode, ChangedSetting> ChangedSettings { get; }

    /// <inheritdoc/>
    public override string ToString() => $"SettingsAcknowledged({ChangedSettings.Count} settings)";
}
