using System.Runtime.InteropServices;
using H2.Events;
using static H2.Tests.Connection.RawPeer;

namespace H2.Tests.Connection;

public class ReceiveInPlaceTests
{
    [Fact]
    public void ReceiveDataInPlace_LendsTheInputToDataEvents()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        byte[] body = [.. Enumerable.Range(0, 3000).Select(i => (byte)i)];
        pair.Client.SendData(1, body, endStream: true, padLength: 7);
        byte[] wire = pair.Client.DataToSend();

        IReadOnlyList<Event> events = pair.Server.ReceiveDataInPlace(wire);

        DataReceived data = Assert.Single(events.OfType<DataReceived>());
        Assert.True(MemoryMarshal.TryGetArray(data.Data, out ArraySegment<byte> segment));
        Assert.Same(wire, segment.Array);
        Assert.Equal(body, data.Data.ToArray());
        Assert.Equal(3008, data.FlowControlledLength);
        Assert.NotNull(data.StreamEnded);
    }

    [Fact]
    public void ReceiveDataInPlace_CopiesAFrameSplitAcrossCalls()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        byte[] body = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))];
        pair.Client.SendData(1, body, endStream: true);
        byte[] wire = pair.Client.DataToSend();
        int cut = wire.Length - 500;

        var events = new List<Event>();
        events.AddRange(pair.Server.ReceiveDataInPlace(wire.AsMemory(0, cut)));
        events.AddRange(pair.Server.ReceiveDataInPlace(wire.AsMemory(cut)));
        Array.Clear(wire);

        DataReceived data = Assert.Single(events.OfType<DataReceived>());
        Assert.Equal(body, data.Data.ToArray());
    }

    [Fact]
    public void ReceiveDataInPlace_GivesTheSameEventsAsReceiveData()
    {
        var copying = new ConnectionPair();
        var lending = new ConnectionPair();
        foreach (ConnectionPair pair in new[] { copying, lending })
        {
            pair.Client.SendHeaders(1, Post());
            for (int i = 0; i < 3; i++)
            {
                pair.Client.SendData(1, new byte[16384], endStream: false);
            }

            pair.Client.SendData(1, new byte[10], endStream: true);
        }

        byte[] wire = copying.Client.DataToSend();
        Assert.Equal(wire, lending.Client.DataToSend());

        string[] expected = [.. copying.Server.ReceiveData(wire).Select(e => e.ToString()!)];
        string[] actual = [.. lending.Server.ReceiveDataInPlace(wire).Select(e => e.ToString()!)];
        Assert.Equal(expected, actual);
        Assert.Equal(copying.Server.DataToSend(), lending.Server.DataToSend());
    }

    [Fact]
    public void ReceiveData_CopiesThePayload_SoTheInputMayBeReused()
    {
        var pair = new ConnectionPair();
        pair.Client.SendHeaders(1, Post());
        pair.Client.SendData(1, new byte[] { 1, 2, 3 }, endStream: true);
        byte[] wire = pair.Client.DataToSend();

        DataReceived data = Assert.Single(pair.Server.ReceiveData(wire).OfType<DataReceived>());
        Array.Clear(wire);

        Assert.Equal(new byte[] { 1, 2, 3 }, data.Data.ToArray());
    }
}
