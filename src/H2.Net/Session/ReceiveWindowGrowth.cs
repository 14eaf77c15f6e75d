namespace H2.Net.Session;

/// <summary>
/// How far a connection opens its receive window (RFC 9113 §6.9 leaves the size to the receiver):
/// from 65,535 octets it doubles each time the application has read as much as the window holds,
/// up to a most, and for a server only as far as the budget shared by all its connections allows.
/// Only what is read earns more, so a peer whose data nobody reads is held to the window that
/// reading already earned. Used under the session lock.
/// </summary>
internal sealed class ReceiveWindowGrowth(int maxWindow, ReceiveWindowBudget? budget)
{
    /// <summary>The connection window every HTTP/2 connection starts with (RFC 9113 §6.9.2).</summary>
    private const int InitialWindow = 65535;

    private readonly int _maxWindow = Math.Max(InitialWindow, maxWindow);
    private int _window = InitialWindow;
    private long _readSinceGrowth;
    private int _fromBudget;

    /// <summary>The window to add now, all of it at once, for data the application asked for (a client's responses); 0 if there is none.</summary>
    public int OpenFully()
    {
        int increment = _maxWindow - _window;
        _window = _maxWindow;
        return increment;
    }

    /// <summary>Notes octets the application has read; returns the window to add now (0 for none).</summary>
    public int Read(int octets)
    {
        _readSinceGrowth += octets;
        if (_readSinceGrowth < _window || _window >= _maxWindow)
        {
            return 0;
        }

        _readSinceGrowth = 0;
        int wanted = Math.Min(_window, _maxWindow - _window);
        int granted = budget?.TryTake(wanted) ?? wanted;
        _fromBudget += budget is null ? 0 : granted;
        _window += granted;
        return granted;
    }

    /// <summary>The connection has closed: what it took from the shared budget goes back.</summary>
    public void Release()
    {
        budget?.Return(_fromBudget);
        _fromBudget = 0;
    }
}
