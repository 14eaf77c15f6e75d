using System.IO.Pipelines;
using System.Text;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

/// <summary>The server and client over in-memory duplex pipes: no sockets at all.</summary>
public class InMemoryTests
{
    private static (IDuplexPipe Client, IDuplexPipe Server) CreatePipes()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new DuplexPipe(toClient.Reader, toServer.Writer), new DuplexPipe(toServer.Reader, toClient.Writer));
    }

    [Fact]
    public async Task RequestsAndBodies_CrossInMemoryPipes()
    {
        (IDuplexPipe clientSide, IDuplexPipe serverSide) = CreatePipes();
        var server = new H2Server(async context =>
        {
            if (context.Request.Method == "POST")
            {
                // The body as a PipeReader this time.
                while (true)
                {
                    ReadResult read = await context.Request.BodyReader.ReadAsync();
                    foreach (ReadOnlyMemory<byte> segment in read.Buffer)
                    {
                        await context.Response.WriteAsync(segment);
                    }

                    context.Request.BodyReader.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            else
            {
                await context.Response.WriteAsync(Encoding.UTF8.GetBytes($"{context.Request.Method} {context.Request.Path} on {context.Request.Authority}"));
            }
        });
        Task serving = server.ServeAsync(serverSide);
        H2Client client = H2Client.Connect(clientSide, "http", "memory");

        H2ClientResponse get = await client.SendAsync(new H2ClientRequest("GET", "/in-memory"));
        Assert.Equal("GET /in-memory on memory", Encoding.UTF8.GetString(await get.Body.ReadToEndAsync()));

        byte[] payload = new byte[500_000];
        new Random(7).NextBytes(payload);
        H2ClientResponse post = await client.SendAsync(new H2ClientRequest("POST", "/echo") { Content = payload });
        Assert.Equal(payload, await post.Body.ReadToEndAsync());

        await client.CloseAsync(TimeSpan.FromSeconds(5));
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        await server.DisposeAsync();
    }
}
