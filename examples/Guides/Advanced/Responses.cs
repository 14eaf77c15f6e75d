using H2;
using H2.Events;
using H2.Hpack;

namespace H2.Guides.Advanced;

public static class Responses
{
    /// <summary>103 Early Hints, then the final response with a body and trailers (as gRPC ends its calls).</summary>
    public static void AnswerWithHintsAndTrailers(H2Connection connection, RequestReceived request, ReadOnlySpan<byte> body)
    {
        int stream = request.StreamId;

        // Informational responses come first, as many as needed; none may end the stream.
        connection.SendHeaders(stream, [(":status", "103"), ("link", "</style.css>; rel=preload; as=style")]);

        connection.SendHeaders(stream, [(":status", "200"), ("content-type", "application/grpc"), ("trailer", "grpc-status")]);
        connection.SendData(stream, body);

        // Trailers are a last header block, which ends the stream; pseudo-header fields are not allowed.
        connection.SendHeaders(stream, [("grpc-status", "0")], endStream: true);
    }

    /// <summary>Promises /style.css to the client, if it takes pushes, and answers the promise.</summary>
    public static bool PushStylesheet(H2Connection connection, RequestReceived request, ReadOnlySpan<byte> css)
    {
        if (!connection.RemoteSettings.EnablePush)
        {
            return false;
        }

        string authority = request.Headers.First(h => h.Name == ":authority").Value;
        int promised = connection.GetNextAvailableStreamId();
        connection.PushStream(request.StreamId, promised,
        [
            (":method", "GET"),
            (":scheme", "https"),
            (":authority", authority),
            (":path", "/style.css"),
        ]);
        HeaderField[] headers = [(":status", "200"), ("content-type", "text/css")];
        connection.SendHeaders(promised, headers);
        connection.SendData(promised, css, endStream: true);
        return true;
    }
}
