using System.Buffers;
using System.IO.Pipelines;
using H2.Events;
using H2.Hpack;
using H2.Net.Server;

namespace H2.Net.Tests.Session;

/// <summary>RFC 9218 scheduling seen on the wire: a more urgent response overtakes a bulk one already under way.</summary>
/// <remarks>It moves 100 MB as fast as two cores allow, so it runs alone, not beside tests that measure time.</remarks>
[Collection(nameof(RunsAlone))]
public class PriorityOrderTests
{
    [Fact]
    public async Task AnUrgentSmallResponse_FinishesFirst_WhileA100MegabyteDownloadAtUrgency7IsUnderWay()
    {
        const int BulkLength = 100 << 20;
        byte[] chunk = new byte[64 * 1024];
        await using var server = new H2Server(async c =>
        {
            if (c.Request.Path == "/bulk")
            {
                c.Response.Headers.Add(("content-length", BulkLength.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                for (int sent = 0; sent < BulkLength; sent += chunk.Length)
                {
                    await c.Response.WriteAsync(chunk, c.Aborted);
                }
            }
            else
            {
                await c.Response.WriteAsync(new byte[1000]);
            }
        });

        // Small pipes, as a socket with small buffers: what is written is what the scheduler chose.
        var options = new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        Task serving = server.ServeAsync(new DuplexPipe(toServer.Reader, toClient.Writer));

        var client = new H2Connection(new H2Configuration { ClientSide = true, InitialWindowSize = 16 << 20 });
        client.InitiateConnection();
        client.IncrementFlowControlWindow(1 << 30);
        HeaderField[] Request(string path, string priority) => [(":method", "GET"), (":scheme", "http"), (":authority", "memory"), (":path", path), ("priority", priority)];
        client.SendHeaders(1, Request("/bulk", "u=7"), endStream: true);
        await FlushAsync(client, toServer.Writer);

        long bulkReceived = 0;
        long bulkAtUrgentRequest = -1;
        long bulkAtUrgentEnd = -1;
        bool bulkEnded = false;
        var order = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!bulkEnded && DateTime.UtcNow < deadline)
        {
            ReadResult read = await toClient.Reader.ReadAsync();
            foreach (ReadOnlyMemory<byte> segment in read.Buffer)
            {
                foreach (Event e in client.ReceiveData(segment.Span))
                {
                    switch (e)
                    {
                        case DataReceived { StreamId: 1 } data:
                            bulkReceived += data.Data.Length;
                            client.AcknowledgeReceivedData(data.FlowControlledLength, 1);
                            break;
                        case DataReceived data:
                            client.AcknowledgeReceivedData(data.FlowControlledLength, data.StreamId);
                            break;
                        case StreamEnded ended:
                            order.Add($"end {ended.StreamId}");
                            bulkEnded |= ended.StreamId == 1;
                            if (ended.StreamId == 3)
                            {
                                bulkAtUrgentEnd = bulkReceived;
                            }

                            break;
                    }
                }
            }

            toClient.Reader.AdvanceTo(read.Buffer.End);
            if (bulkAtUrgentRequest < 0 && bulkReceived >= 4 << 20)
            {
                // The bulk download is well under way: now the urgent request.
                bulkAtUrgentRequest = bulkReceived;
                client.SendHeaders(3, Request("/small", "u=0"), endStream: true);
            }

            await FlushAsync(client, toServer.Writer);
        }

        Assert.True(bulkEnded, "the download did not finish in time");
        Assert.Equal(["end 3", "end 1"], order);
        Assert.Equal(BulkLength, bulkReceived);

        // What went out of the download between the urgent request and the end of its answer:
        // what was already queued and in the pipe when it came, not a megabyte more.
        Assert.InRange(bulkAtUrgentEnd - bulkAtUrgentRequest, 0, 512 * 1024);

        toServer.Writer.Complete();
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task FlushAsync(H2Connection connection, PipeWriter writer)
    {
        connection.DataToSend(writer);
        await writer.FlushAsync();
    }
}

/// <summary>Tests that load the machine fully run after the others, one at a time.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
