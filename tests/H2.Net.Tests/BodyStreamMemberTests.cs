using H2.Net.Client;
using H2.Net.Server;

namespace H2.Net.Tests;

// The array overloads are what these tests exercise.
#pragma warning disable CA1835

/// <summary>The request body and response body streams behave as a read-only and a write-only, non-seekable <see cref="Stream"/>.</summary>
public class BodyStreamMemberTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheRequestBody_IsReadOnly_NotSeekable_AndReadsSynchronouslyToo()
    {
        var checks = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new H2Server(async c =>
        {
            H2BodyStream body = c.Request.Body;
            try
            {
                Assert.True(body.CanRead);
                Assert.False(body.CanSeek);
                Assert.False(body.CanWrite);
                Assert.Throws<NotSupportedException>(() => body.Length);
                Assert.Throws<NotSupportedException>(() => body.Position);
                Assert.Throws<NotSupportedException>(() => body.Position = 1);
                Assert.Throws<NotSupportedException>(() => body.Seek(0, SeekOrigin.Begin));
                Assert.Throws<NotSupportedException>(() => body.SetLength(1));
                Assert.Throws<NotSupportedException>(() => body.Write(new byte[1], 0, 1));
                body.Flush();
                byte[] first = new byte[2];
                Assert.Equal(2, await Task.Run(() => body.Read(first, 0, 2)));
                Assert.Equal(1, await body.ReadAsync(first, 0, 1, CancellationToken.None));
                Assert.Equal(0, await body.ReadAsync(Memory<byte>.Empty));
                await body.ReadToEndAsync();
                Assert.True(body.IsComplete);
                checks.TrySetResult("ok");
            }
            catch (Exception e)
            {
                checks.TrySetResult(e.ToString());
            }
        });
        await using H2Client client = await Loopback.ConnectAsync(server);

        await client.SendAsync(new H2ClientRequest("POST", "/") { Content = new byte[10] }).WaitAsync(s_wait);

        Assert.Equal("ok", await checks.Task.WaitAsync(s_wait));
    }

    [Fact]
    public async Task TheResponseBody_IsWriteOnly_NotSeekable_AndWritesSynchronouslyToo()
    {
        var checks = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new H2Server(async c =>
        {
            Stream body = c.Response.Body;
            try
            {
                Assert.False(body.CanRead);
                Assert.False(body.CanSeek);
                Assert.True(body.CanWrite);
                Assert.Throws<NotSupportedException>(() => body.Length);
                Assert.Throws<NotSupportedException>(() => body.Position);
                Assert.Throws<NotSupportedException>(() => body.Position = 1);
                Assert.Throws<NotSupportedException>(() => body.Seek(0, SeekOrigin.Begin));
                Assert.Throws<NotSupportedException>(() => body.SetLength(1));
                Assert.Throws<NotSupportedException>(() => body.Read(new byte[1], 0, 1));
                await Task.Run(() => body.Write("ab"u8.ToArray(), 0, 2));
                await body.WriteAsync("cd"u8.ToArray(), 0, 2, CancellationToken.None);
                body.Flush();
                await body.FlushAsync();
                checks.TrySetResult("ok");
            }
            catch (Exception e)
            {
                checks.TrySetResult(e.ToString());
            }
        });
        await using H2Client client = await Loopback.ConnectAsync(server);

        H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", "/")).WaitAsync(s_wait);

        Assert.Equal("ok", await checks.Task.WaitAsync(s_wait));
        Assert.Equal("abcd"u8.ToArray(), await response.Body.ReadToEndAsync());
    }
}
