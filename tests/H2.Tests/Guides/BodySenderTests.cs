using H2.Events;
using H2.Guides.LowLevel;
using H2.Tests.Connection;

namespace H2.Tests.Guides;

/// <summary>The low-level guide's body sender does what the guide says.</summary>
public class BodySenderTests
{
    [Fact]
    public void ABodyLargerThanTheWindows_GoesOutAsTheClientAcknowledges()
    {
        var pair = new ConnectionPair();
        var sender = new BodySender(pair.Server);
        byte[] body = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31))];
        pair.Client.SendHeaders(1, [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/big")], endStream: true);
        pair.Server.ReceiveData(pair.Client.DataToSend());
        pair.Server.SendHeaders(1, [(":status", "200"), ("content-length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        sender.Send(1, body);

        var received = new MemoryStream();
        bool ended = false;
        for (int round = 0; round < 100 && !ended; round++)
        {
            foreach (Event @event in pair.Client.ReceiveData(pair.Server.DataToSend()))
            {
                if (@event is DataReceived data)
                {
                    received.Write(data.Data.Span);
                    pair.Client.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                }

                ended |= @event is StreamEnded;
            }

            foreach (Event @event in pair.Server.ReceiveData(pair.Client.DataToSend()))
            {
                sender.Observe(@event);
            }

            sender.Pump();
        }

        Assert.True(ended);
        Assert.Equal(body, received.ToArray());
    }

    [Fact]
    public void AResetStream_IsForgotten()
    {
        var pair = new ConnectionPair();
        var sender = new BodySender(pair.Server);
        pair.Client.SendHeaders(1, [(":method", "GET"), (":scheme", "https"), (":authority", "example.com"), (":path", "/big")], endStream: true);
        pair.Server.ReceiveData(pair.Client.DataToSend());
        pair.Server.SendHeaders(1, [(":status", "200")]);
        sender.Send(1, new byte[200_000]);
        pair.Client.ReceiveData(pair.Server.DataToSend());
        pair.Client.ResetStream(1, ErrorCode.Cancel);

        foreach (Event @event in pair.Server.ReceiveData(pair.Client.DataToSend()))
        {
            sender.Observe(@event);
        }

        sender.Pump();
        Assert.Empty(pair.Server.DataToSend());
    }
}
