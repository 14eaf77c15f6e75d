using H2.Hpack;
using H2.Net.Client;
using H2.Net.Server;

namespace H2.Guides.Net;

/// <summary>Forwards each request to one upstream connection, body and trailers included, and relays the answer.</summary>
public sealed class ForwardingProxy(H2Client upstream)
{
    public async Task HandleAsync(H2RequestContext context)
    {
        H2ServerRequest request = context.Request;
        var forwarded = new H2ClientRequest(request.Method, request.Path)
        {
            Authority = request.Authority,

            // The body streams through as it arrives; its trailers are known only at its end.
            ContentStream = request.CanHaveBody ? request.Body : null,
            TrailersAfterBody = request.CanHaveBody ? () => request.Body.Trailers : null,
        };
        foreach (HeaderField field in request.Headers)
        {
            if (!field.Name.StartsWith(':'))
            {
                forwarded.Headers.Add(field);
            }
        }

        H2ClientResponse answer = await upstream.SendAsync(forwarded, context.Aborted);
        context.Response.StatusCode = answer.StatusCode;
        foreach (HeaderField field in answer.Headers)
        {
            if (!field.Name.StartsWith(':'))
            {
                context.Response.Headers.Add(field);
            }
        }

        await answer.Body.CopyToAsync(context.Response.Body, context.Aborted);
        if (answer.Trailers is { } trailers)
        {
            context.Response.Trailers.AddRange(trailers);
        }
    }
}
