using System.Buffers.Binary;

namespace H2.Frames;

/// <summary>
/// The settings of a received SETTINGS frame, read in place from the payload without copying.
/// Valid only during the <see cref="IFrameHandler.OnSettings"/> call that receives it.
/// </summary>
public readonly ref struct SettingsPayload
{
    private readonly ReadOnlySpan<byte> _payload;

    internal SettingsPayload(ReadOnlySpan<byte> payload)
    {
        _payload = payload;
    }

    /// <summary>The number of settings, in the order sent.</summary>
    public int Count => _payload.Length / Setting.Size;

    /// <summary>The setting at <paramref name="index"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> - 1.</param>
    public Setting this[int index]
    {
        get
        {
            ReadOnlySpan<byte> entry = _payload.Slice(index * Setting.Size, Setting.Size);
            return new Setting((SettingCode)BinaryPrimitives.ReadUInt16BigEndian(entry), BinaryPrimitives.ReadUInt32BigEndian(entry[2..]));
        }
    }

    /// <summary>Copies the settings into a new array.</summary>
    /// <returns>The settings in the order sent.</returns>
    public Setting[] ToArray()
    {
        var settings = new Setting[Count];
        for (int i = 0; i < settings.Length; i++)
        {
            settings[i] = this[i];
        }

        return settings;
    }

    /// <summary>Enumerates the settings in the order sent.</summary>
    /// <returns>An enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Enumerates a <see cref="SettingsPayload"/>.</summary>
    public ref struct Enumerator
    {
        private readonly SettingsPayload _settings;
        private int _index;

        internal Enumerator(SettingsPayload settings)
        {
            _settings = settings;
            _index = -1;
        }

        /// <summary>The current setting.</summary>
        public readonly Setting Current => _settings[_index];

        /// <summary>Moves to the next setting.</summary>
        /// <returns><see langword="false"/> after the last one.</returns>
        public bool MoveNext() => ++_index < _settings.Count;
    }
}
