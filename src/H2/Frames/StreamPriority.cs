namespace H2.Frames;

/// <summary>
/// An RFC 7540 §5.3 priority: the stream depended on, the weight and the exclusive flag, as carried
/// by PRIORITY frames and HEADERS frames with the PRIORITY flag. RFC 9113 deprecates the scheme but
/// the fields stay on the wire. The default value is the RFC's default priority: dependent on
/// stream 0 with weight 16, not exclusive.
/// </summary>
public readonly record struct StreamPriority
{
    /// <summary>The weight a stream has when no priority was given (RFC 7540 §5.3.5).</summary>
    public const int DefaultWeight = 16;

    /// <summary>Creates a priority.</summary>
    /// <param name="dependsOn">The stream this one depends on; 0 for the root.</param>
    /// <param name="weight">The weight, 1 to 256.</param>
    /// <param name="exclusive">Whether the dependency is exclusive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public StreamPriority(int dependsOn, int weight = DefaultWeight, bool exclusive = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dependsOn);
        ArgumentOutOfRangeException.ThrowIfLessThan(weight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 256);
        DependsOn = dependsOn;
        _weightOverDefault = (short)(weight - DefaultWeight);
        Exclusive = exclusive;
    }

    /// <summary>The length of the priority fields on the wire.</summary>
    internal const int Length = 5;

    /// <summary>The stream this one depends on; 0 for the root.</summary>
    public int DependsOn { get; }

    // Stored relative to the default weight so that default(StreamPriority) means weight 16 and
    // equals new StreamPriority(0).
    private readonly short _weightOverDefault;

    /// <summary>The weight, 1 to 256 (the wire carries it minus one).</summary>
    public int Weight => DefaultWeight + _weightOverDefault;

    /// <summary>Whether the dependency is exclusive.</summary>
    public bool Exclusive { get; }

    internal static StreamPriority Read(ReadOnlySpan<byte> source) =>
        new(FrameHeader.ReadStreamId(source), source[4] + 1, (source[0] & 0x80) != 0);

    internal void Write(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(destination, DependsOn);
        if (Exclusive)
        {
            destination[0] |= 0x80;
        }

        destination[4] = (byte)(Weight - 1);
    }
}
