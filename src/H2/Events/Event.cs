using System.Diagnostics.CodeAnalysis;

namespace H2.Events;

/// <summary>
/// Something the remote peer did, as returned by <see cref="H2Connection.ReceiveData(ReadOnlySpan{byte})"/>.
/// Events are immutable; each kind is a sealed subclass named as in Python's h2.
/// </summary>
[SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "h2's name for the concept; the issue asks for it.")]
public abstract class Event
{
    private protected Event()
    {
    }
}
