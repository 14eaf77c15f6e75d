using System.Globalization;
using System.Text;
using System.Text.Json;
using H2.Events;
using H2.Hpack;

namespace H2.Tests.Connection;

/// <summary>
/// The server of the h2 tutorial (../shared/seed/basic-usage.rst, steps 1 to 6) in C#, line for
/// line, with the socket replaced by a client connection in memory.
/// </summary>
public class TutorialServerTests
{
    // Step 5: answer a request with its headers as JSON.
    private static void SendResponse(H2Connection conn, RequestReceived @event)
    {
        int streamId = @event.StreamId;
        byte[] responseData = JsonSerializer.SerializeToUtf8Bytes(@event.Headers.ToDictionary(h => h.Name, h => h.Value));

        conn.SendHeaders(
            streamId: streamId,
            headers:
            [
                (":status", "200"),
                ("server", "basic-h2-server/1.0"),
                ("content-length", responseData.Length.ToString(CultureInfo.InvariantCulture)),
                ("content-type", "application/json"),
            ]);
        conn.SendData(
            streamId: streamId,
            data: responseData,
            endStream: true);
    }

    // Step 6: the connection loop, with "the socket" being a queue of client bytes.
    private static void Handle(Func<byte[]> recv, Action<byte[]> sendall)
    {
        var config = new H2Configuration { ClientSide = false };
        var conn = new H2Connection(config);
        conn.InitiateConnection();
        sendall(conn.DataToSend());

        while (true)
        {
            byte[] data = recv();
            if (data.Length == 0)
            {
                break;
            }

            IReadOnlyList<Event> events = conn.ReceiveData(data);
            foreach (Event @event in events)
            {
                if (@event is RequestReceived request)
                {
                    SendResponse(conn, request);
                }
            }

            byte[] dataToSend = conn.DataToSend();
            if (dataToSend.Length > 0)
            {
                sendall(dataToSend);
            }
        }
    }

    [Fact]
    public void TutorialServer_AnswersWithTheRequestHeadersAsJson()
    {
        // The client side, as curl --http2-prior-knowledge http://localhost:8080/ would behave.
        var client = new H2Connection(new H2Configuration { ClientSide = true });
        client.InitiateConnection();
        client.SendHeaders(1, [(":method", "GET"), (":scheme", "http"), (":authority", "localhost"), (":path", "/")], endStream: true);

        var toServer = new Queue<byte[]>();
        toServer.Enqueue(client.DataToSend());
        var received = new List<Event>();
        Handle(
            recv: () => toServer.Count > 0 ? toServer.Dequeue() : [],
            sendall: bytes =>
            {
                received.AddRange(client.ReceiveData(bytes));
                byte[] reply = client.DataToSend();
                if (reply.Length > 0)
                {
                    toServer.Enqueue(reply);
                }
            });

        ResponseReceived response = Assert.Single(received.OfType<ResponseReceived>());
        Assert.Equal(new HeaderField(":status", "200"), response.Headers[0]);
        Assert.Contains(new HeaderField("content-type", "application/json"), response.Headers);
        string body = Encoding.UTF8.GetString([.. received.OfType<DataReceived>().SelectMany(d => d.Data.ToArray())]);
        Assert.Equal("{\":method\":\"GET\",\":scheme\":\"http\",\":authority\":\"localhost\",\":path\":\"/\"}", body);
        Assert.Single(received.OfType<StreamEnded>());
    }
}
