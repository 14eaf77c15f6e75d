namespace H2.Events;

/// <summary>One setting that changed value.</summary>
/// <param name="Setting">Which setting.</param>
/// <param name="OriginalValue">Its value before, or <see langword="null"/> if it had none.</param>
/// <param name="NewValue">Its value now.</param>
public readonly record struct ChangedSetting(SettingCode Setting, uint? OriginalValue, uint NewValue);
