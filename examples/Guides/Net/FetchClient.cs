using H2.Net;
using H2.Net.Client;

namespace H2.Guides.Net;

public static class FetchClient
{
    /// <summary>GETs a path; a request the server did not process is sent again on a new connection, once.</summary>
    public static async Task<byte[]> FetchAsync(Uri server, string path, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using H2Client client = await H2Client.ConnectAsync(server, cancellationToken: cancellationToken);
            try
            {
                H2ClientResponse response = await client.SendAsync(new H2ClientRequest("GET", path), cancellationToken);
                if (response.StatusCode != 200)
                {
                    throw new InvalidOperationException($"{path}: status {response.StatusCode}");
                }

                return await response.Body.ReadToEndAsync(cancellationToken);
            }
            catch (H2ConnectionException e) when (e.RequestNotProcessed && attempt == 1)
            {
                // GOAWAY before our stream (RFC 9113 §8.7): safe to retry elsewhere.
            }
            catch (H2StreamException e) when (e.RequestNotProcessed && attempt == 1)
            {
                // REFUSED_STREAM: the server did no work on it.
            }
        }
    }
}
