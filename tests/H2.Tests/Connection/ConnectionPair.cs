using H2.Events;

namespace H2.Tests.Connection;

/// <summary>A client and a server connection wired back to back in memory.</summary>
internal sealed class ConnectionPair
{
    public ConnectionPair(H2Configuration? client = null, H2Configuration? server = null, bool initiate = true)
    {
        Client = new H2Connection(client ?? new H2Configuration { ClientSide = true });
        Server = new H2Connection(server ?? new H2Configuration { ClientSide = false });
        if (initiate)
        {
            Client.InitiateConnection();
            Server.InitiateConnection();
            Exchange();
            ClientEvents.Clear();
            ServerEvents.Clear();
        }
    }

    public H2Connection Client { get; }

    public H2Connection Server { get; }

    public List<Event> ClientEvents { get; } = [];

    public List<Event> ServerEvents { get; } = [];

    /// <summary>Moves bytes both ways until neither side has anything to send; returns the events of this exchange.</summary>
    public (List<Event> Client, List<Event> Server) Exchange(int rounds = 20)
    {
        var client = new List<Event>();
        var server = new List<Event>();
        for (int i = 0; i < rounds; i++)
        {
            byte[] toServer = Client.DataToSend();
            byte[] toClient = Server.DataToSend();
            if (toServer.Length == 0 && toClient.Length == 0)
            {
                break;
            }

            server.AddRange(Server.ReceiveData(toServer));
            client.AddRange(Client.ReceiveData(toClient));
        }

        ClientEvents.AddRange(client);
        ServerEvents.AddRange(server);
        return (client, server);
    }
}
