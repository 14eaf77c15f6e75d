using System.Collections;
using H2.Connection;

namespace H2;

/// <summary>The live streams of a connection (<see cref="H2Connection.LiveStreams"/>), enumerated without allocating.</summary>
public readonly struct LiveStreamCollection : IReadOnlyCollection<StreamInfo>, IEquatable<LiveStreamCollection>
{
    private readonly Dictionary<int, H2Stream>.ValueCollection _streams;

    internal LiveStreamCollection(Dictionary<int, H2Stream>.ValueCollection streams) => _streams = streams;

    /// <summary>How many streams are live.</summary>
    public int Count => _streams?.Count ?? 0;

    /// <summary>Compares two views.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether both show the same connection's streams.</returns>
    public static bool operator ==(LiveStreamCollection left, LiveStreamCollection right) => left.Equals(right);

    /// <summary>Compares two views.</summary>
    /// <param name="left">One.</param>
    /// <param name="right">The other.</param>
    /// <returns>Whether they show different connections' streams.</returns>
    public static bool operator !=(LiveStreamCollection left, LiveStreamCollection right) => !left.Equals(right);

    /// <summary>Enumerates the streams, in no particular order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_streams);

    IEnumerator<StreamInfo> IEnumerable<StreamInfo>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(LiveStreamCollection other) => ReferenceEquals(_streams, other._streams);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is LiveStreamCollection other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _streams?.GetHashCode() ?? 0;

    /// <summary>Walks the live streams.</summary>
    public struct Enumerator : IEnumerator<StreamInfo>
    {
        private Dictionary<int, H2Stream>.ValueCollection.Enumerator _inner;
        private readonly bool _any;

        internal Enumerator(Dictionary<int, H2Stream>.ValueCollection? streams)
        {
            _any = streams is not null;
            _inner = _any ? streams!.GetEnumerator() : default;
        }

        /// <summary>The stream at the enumerator's position.</summary>
        public readonly StreamInfo Current => new(_inner.Current);

        readonly object IEnumerator.Current => Current;

        /// <summary>Moves to the next stream.</summary>
        /// <returns>Whether there is one.</returns>
        /// <exception cref="InvalidOperationException">A stream opened or closed since enumeration began.</exception>
        public bool MoveNext() => _any && _inner.MoveNext();

        /// <summary>Not supported: enumerate anew instead.</summary>
        /// <exception cref="NotSupportedException">Always.</exception>
        public readonly void Reset() => throw new NotSupportedException();

        /// <summary>Ends the enumeration.</summary>
        public void Dispose() => _inner.Dispose();
    }
}
