using H2;
using H2.Events;

namespace H2.Guides.Security;

public static class ReceiveWithErrors
{
    /// <summary>Feeds received bytes to the connection; returns the events, and whether the connection must now close.</summary>
    public static (IReadOnlyList<Event> Events, bool Close) Receive(H2Connection connection, ReadOnlySpan<byte> received)
    {
        try
        {
            return (connection.ReceiveData(received), false);
        }
        catch (ProtocolException e)
        {
            // What came before the error, in order; the GOAWAY is queued:
            // send connection.DataToSend(), then close.
            return (e.Events, true);
        }
    }
}
