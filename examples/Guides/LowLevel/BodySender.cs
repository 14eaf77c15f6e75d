using H2;
using H2.Events;

namespace H2.Guides.LowLevel;

/// <summary>
/// Sends response bodies as the flow-control windows allow: what does not fit waits for the
/// peer's WINDOW_UPDATE. One per connection; call <see cref="Pump"/> after every ReceiveData.
/// </summary>
public sealed class BodySender(H2Connection connection)
{
    private readonly Dictionary<int, ReadOnlyMemory<byte>> _pending = [];

    /// <summary>Queues a body to send on a stream whose headers have gone, and sends what fits now.</summary>
    public void Send(int streamId, ReadOnlyMemory<byte> body)
    {
        _pending[streamId] = body;
        Pump();
    }

    /// <summary>Sends what the windows allow; call it whenever they may have opened.</summary>
    public void Pump()
    {
        foreach ((int streamId, ReadOnlyMemory<byte> rest) in _pending.ToArray())
        {
            ReadOnlyMemory<byte> body = rest;
            while (true)
            {
                // The smaller of the stream's and the connection's window, and of the peer's frame size.
                int size = Math.Min(Math.Min(connection.LocalFlowControlWindow(streamId), connection.MaxOutboundFrameSize), body.Length);
                if (size == 0 && !body.IsEmpty)
                {
                    break;
                }

                bool last = size == body.Length;
                connection.SendData(streamId, body[..size], endStream: last);
                body = body[size..];
                if (last)
                {
                    break;
                }
            }

            if (body.IsEmpty)
            {
                _pending.Remove(streamId);
            }
            else
            {
                _pending[streamId] = body;
            }
        }
    }

    /// <summary>Forgets bodies of streams that ended early.</summary>
    public void Observe(Event @event)
    {
        if (@event is StreamReset reset)
        {
            _pending.Remove(reset.StreamId);
        }
    }
}
