using System.Buffers;
using H2.Events;
using H2.Frames;
using H2.Hpack;

namespace H2.Fuzz;

/// <summary>
/// A client and a server connection talking in memory, recording each direction's bytes: scripted
/// conversations give the connection targets seeds that get past the preface and the first
/// requests, with the same requests the <c>client</c> target opens.
/// </summary>
internal sealed class Conversation
{
    private readonly ArrayBufferWriter<byte> _toServer = new();
    private readonly ArrayBufferWriter<byte> _toClient = new();

    private Conversation()
    {
        Client = ConnectionTarget.Create(clientSide: true);
        Server = ConnectionTarget.Create(clientSide: false);
        Pump();
    }

    public H2Connection Client { get; }

    public H2Connection Server { get; }

    /// <summary>What the client sent: input for the <c>server</c> target.</summary>
    public byte[] ClientBytes => _toServer.WrittenSpan.ToArray();

    /// <summary>What the server sent: input for the <c>client</c> target.</summary>
    public byte[] ServerBytes => _toClient.WrittenSpan.ToArray();

    /// <summary>Every scripted conversation by name, each recorded up to its end or first error.</summary>
    public static IEnumerable<(string Name, Conversation Recorded, Exception? Error)> RecordAll()
    {
        foreach ((string name, Action<Conversation> script) in Scripts)
        {
            var conversation = new Conversation();
            Exception? error = null;
            try
            {
                script(conversation);
                conversation.Pump();
            }
            catch (H2Exception e)
            {
                error = e;
            }

            yield return (name, conversation, error);
        }
    }

    /// <summary>Moves bytes both ways until neither side has anything left to send.</summary>
    public void Pump()
    {
        for (int round = 0; round < 100; round++)
        {
            byte[] fromClient = Client.DataToSend();
            byte[] fromServer = Server.DataToSend();
            if (fromClient.Length == 0 && fromServer.Length == 0)
            {
                return;
            }

            _toServer.Write(fromClient);
            _toClient.Write(fromServer);
            Server.ReceiveData(fromClient);
            Client.ReceiveData(fromServer);
        }
    }

    private static readonly byte[] Body = [.. Enumerable.Range(0, 1000).Select(i => (byte)i)];

    private static IReadOnlyList<HeaderField> Ok(params HeaderField[] more) => [.. ConnectionTarget.Response(), .. more];

    private static readonly (string Name, Action<Conversation> Script)[] Scripts =
    [
        ("plain", c =>
        {
            c.Server.SendHeaders(1, Ok(("content-type", "text/plain")), endStream: true);
            c.Server.SendHeaders(3, Ok());
            c.Server.SendHeaders(5, Ok());
            c.Server.SendData(5, "hello"u8, endStream: true);
            c.Pump();
            c.Client.SendData(3, Body.AsSpan(0, 300), endStream: true);
            c.Pump();
            c.Server.SendData(3, "stored"u8, endStream: true);
        }),
        ("push", c =>
        {
            c.Server.PushStream(5, 2, ConnectionTarget.Request("GET", "/style.css"));
            c.Server.PushStream(5, 4, ConnectionTarget.Request("GET", "/script.js"));
            c.Server.SendHeaders(5, Ok(), endStream: true);
            c.Server.SendHeaders(2, Ok(("content-type", "text/css")));
            c.Server.SendData(2, "body{}"u8, endStream: true);
            c.Server.SendHeaders(4, Ok(), endStream: true);
            c.Server.SendHeaders(1, Ok(), endStream: true);
            c.Server.SendHeaders(3, [new(":status", "413")], endStream: true);
        }),
        ("informational-and-trailers", c =>
        {
            c.Server.SendHeaders(1, [new(":status", "103"), new("link", "</style.css>; rel=preload")]);
            c.Server.SendHeaders(1, Ok(("trailer", "grpc-status")));
            c.Server.SendData(1, Body.AsSpan(0, 100), padLength: 10);
            c.Server.SendHeaders(1, [new("grpc-status", "0")], endStream: true);
            c.Server.SendHeaders(3, [new(":status", "100")]);
            c.Pump();
            c.Client.SendData(3, Body.AsSpan(0, 10));
            c.Client.SendHeaders(3, [new("x-checksum", "abc")], endStream: true);
            c.Pump();
            c.Server.SendHeaders(3, Ok(("set-cookie", "a=b")), endStream: true);
        }),
        ("reset-and-goaway", c =>
        {
            c.Server.ResetStream(3, ErrorCode.RefusedStream);
            c.Server.SendHeaders(1, Ok(), endStream: true);
            c.Server.SendHeaders(5, Ok());
            c.Server.ResetStream(5, ErrorCode.Cancel);
            c.Server.CloseConnection(ErrorCode.NoError, "shutting down"u8, lastStreamId: 5);
        }),
        ("control-frames", c =>
        {
            c.Server.UpdateSettings(new Dictionary<SettingCode, uint>
            {
                [SettingCode.MaxFrameSize] = 20000,
                [SettingCode.InitialWindowSize] = 1000,
                [SettingCode.MaxConcurrentStreams] = 10,
                [SettingCode.HeaderTableSize] = 256,
            });
            c.Server.Ping("pingpong"u8);
            c.Server.IncrementFlowControlWindow(100000);
            c.Server.AdvertiseAlternativeService("h2=\":8443\"", origin: "https://example.com");
            c.Server.SendOrigins(["https://example.com", "https://cdn.example.com"]);
            c.Server.SendExtensionFrame((FrameType)0x20, FrameFlags.None, 0, "extension"u8);
            c.Pump();
            c.Client.Ping("clientpg"u8);
            c.Client.Prioritize(3, weight: 200, dependsOn: 1);
            c.Client.SendPriorityUpdate(5, "u=1, i");
            c.Server.SendHeaders(1, Ok(), endStream: true);
            c.Server.SendHeaders(5, Ok(), endStream: true);
            c.Server.SendHeaders(3, Ok());
            c.Pump();
            c.Client.SendData(3, Body.AsSpan(0, 900), endStream: true);
            c.Pump();
            c.Server.SendData(3, Body.AsSpan(0, 5), endStream: true);
        }),
        ("large-headers-and-body", c =>
        {
            c.Server.SendHeaders(1, Ok(("x-large", new string('v', 20000)), new("x-other", "1")));
            for (int i = 0; i < 3; i++)
            {
                c.Server.SendData(1, Body, padLength: i * 50);
            }

            c.Server.EndStream(1);
            c.Server.SendHeaders(5, Ok(("x-again", new string('v', 20000))), endStream: true);
        }),
        ("client-more-streams", c =>
        {
            c.Client.SendHeaders(7, [.. ConnectionTarget.Request("PUT", "/item"), new("content-length", "20"), new("cookie", "a=1"), new("cookie", "b=2")]);
            c.Client.SendData(7, Body.AsSpan(0, 20), endStream: true, padLength: 5);
            c.Client.SendHeaders(9, ConnectionTarget.Request("GET", "/cancelled"), priority: new StreamPriority(7, 32, exclusive: true));
            c.Client.ResetStream(9, ErrorCode.Cancel);
            c.Client.IncrementFlowControlWindow(5000);
            c.Client.IncrementFlowControlWindow(77, streamId: 1);
            c.Pump();
            c.Server.SendHeaders(7, Ok(), endStream: true);
            c.Server.SendHeaders(1, Ok(), endStream: true);
            c.Pump();
            c.Client.CloseConnection(ErrorCode.NoError);
        }),
    ];
}
