using H2.Events;
using H2.Hpack;

namespace H2.Fuzz;

/// <summary>
/// Targets <c>server</c> and <c>client</c>: the payload is what the peer sends to an
/// <see cref="H2Connection"/>, fed in chunks, while a small application answers the events the way
/// a real one would so that the send paths run on state the peer shaped.
/// </summary>
/// <remarks>
/// The server has the default configuration; its input starts with the client preface. Control
/// bit 6 makes it answer with a body as well as headers. The client enables push and opens three
/// requests before reading (see <see cref="OpenRequests"/>); its input starts with the server's
/// SETTINGS. Either side: once <see cref="H2Connection.ReceiveData"/> throws, the connection must
/// be closed.
/// </remarks>
internal static class ConnectionTarget
{
    private static readonly byte[] Body = new byte[300];

    public static void RunServer(byte[] data) => Run(data, clientSide: false);

    public static void RunClient(byte[] data) => Run(data, clientSide: true);

    /// <summary>Creates the connection a target drives, with its preface (and a client's requests) queued.</summary>
    public static H2Connection Create(bool clientSide)
    {
        var connection = new H2Connection(clientSide ? new H2Configuration { ClientSide = true, EnablePush = true } : new H2Configuration());
        connection.InitiateConnection();
        if (clientSide)
        {
            OpenRequests(connection);
        }

        return connection;
    }

    /// <summary>
    /// The client's requests: a GET on stream 1, a POST on stream 3 whose body waits for the
    /// response, and a GET on stream 5 to which a server may attach pushes.
    /// </summary>
    public static void OpenRequests(H2Connection client)
    {
        client.SendHeaders(1, Request("GET", "/"), endStream: true);
        client.SendHeaders(3, Request("POST", "/upload"));
        client.SendHeaders(5, Request("GET", "/pushes"), endStream: true);
    }

    public static IReadOnlyList<HeaderField> Request(string method, string path) =>
        [new(":method", method), new(":scheme", "https"), new(":authority", "example.com"), new(":path", path)];

    public static IReadOnlyList<HeaderField> Response(string status = "200") => [new(":status", status), new("server", "h2fuzz")];

    private static void Run(byte[] data, bool clientSide)
    {
        FuzzInput input = FuzzInput.Parse(data);
        H2Connection connection = Create(clientSide);
        connection.DataToSend();
        foreach (ReadOnlyMemory<byte> chunk in input.Chunks())
        {
            IReadOnlyList<Event> events;
            try
            {
                events = connection.ReceiveData(chunk.Span);
            }
            catch (H2Exception e)
            {
                if (!connection.IsClosed)
                {
                    throw new FuzzAssertionException("ReceiveData threw but left the connection open.", e);
                }

                return;
            }

            foreach (Event @event in events)
            {
                // A stream that a later frame of the same batch reset makes the local call throw.
                try
                {
                    if (clientSide)
                    {
                        AnswerAsClient(connection, @event);
                    }
                    else
                    {
                        AnswerAsServer(connection, @event, withBody: input.Bit6);
                    }
                }
                catch (H2Exception)
                {
                }
            }

            connection.DataToSend();
        }
    }

    private static void AnswerAsServer(H2Connection server, Event @event, bool withBody)
    {
        switch (@event)
        {
            case RequestReceived { StreamEnded: not null } request:
                Respond(server, request.StreamId, withBody);
                break;
            case DataReceived data:
                server.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                if (data.StreamEnded is not null)
                {
                    Respond(server, data.StreamId, withBody);
                }

                break;
            case TrailersReceived { StreamEnded: not null } trailers:
                Respond(server, trailers.StreamId, withBody);
                break;
            case StreamReset reset:
                // The handler of a reset request stops, and says so, as H2.Net's does.
                server.CompleteStreamWork(reset.StreamId);
                break;
        }
    }

    private static void Respond(H2Connection server, int streamId, bool withBody)
    {
        if (!withBody)
        {
            server.SendHeaders(streamId, Response(), endStream: true);
            server.CompleteStreamWork(streamId);
            return;
        }

        // As much of the body as flow control and the frame size allow now; the rest is dropped.
        server.SendHeaders(streamId, Response());
        int length = Math.Min(Body.Length, Math.Min(server.LocalFlowControlWindow(streamId), server.MaxOutboundFrameSize));
        server.SendData(streamId, Body.AsSpan(0, length), endStream: true);
        server.CompleteStreamWork(streamId);
    }

    private static void AnswerAsClient(H2Connection client, Event @event)
    {
        switch (@event)
        {
            case ResponseReceived { StreamId: 3 }:
                // The upload's body goes once the server has answered, within the window it gave.
                int length = Math.Min(Body.Length, Math.Min(client.LocalFlowControlWindow(3), client.MaxOutboundFrameSize));
                client.SendData(3, Body.AsSpan(0, length), endStream: true);
                break;
            case DataReceived data:
                client.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                break;
        }
    }
}
