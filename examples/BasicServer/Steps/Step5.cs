using System.Globalization;
using System.Text.Json;
using H2;
using H2.Events;

namespace BasicServer.Steps;

public static class Step5
{
    public static void SendResponse(H2Connection conn, RequestReceived @event)
    {
        int streamId = @event.StreamId;
        byte[] responseData = JsonSerializer.SerializeToUtf8Bytes(
            @event.Headers.GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.Last().Value));

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
}
