namespace H2.Fuzz;

/// <summary>
/// One fuzz input split into a control octet and the payload the target consumes. The control
/// octet's low six bits pick the chunk size the payload is fed in (0: all at once), so AFL can
/// steer the incremental parsers through every split point; targets give the top two bits their
/// own meaning.
/// </summary>
internal readonly struct FuzzInput
{
    private FuzzInput(byte control, byte[] payload)
    {
        Control = control;
        Payload = payload;
    }

    public byte Control { get; }

    public byte[] Payload { get; }

    /// <summary>The chunk size: 1 to 63 octets, or the whole payload when the bits are zero.</summary>
    public int ChunkSize => (Control & 0x3F) == 0 ? Math.Max(1, Payload.Length) : Control & 0x3F;

    public bool Bit6 => (Control & 0x40) != 0;

    public bool Bit7 => (Control & 0x80) != 0;

    /// <summary>Splits raw bytes; an empty input has control 0 and no payload.</summary>
    public static FuzzInput Parse(byte[] bytes) =>
        bytes.Length == 0 ? new FuzzInput(0, []) : new FuzzInput(bytes[0], bytes[1..]);

    /// <summary>The payload cut into chunks of <see cref="ChunkSize"/>.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        int size = ChunkSize;
        for (int offset = 0; offset < Payload.Length; offset += size)
        {
            yield return Payload.AsMemory(offset, Math.Min(size, Payload.Length - offset));
        }
    }
}
