namespace H2.Net.Server;

/// <summary>Answers one request: read <see cref="H2RequestContext.Request"/>, fill in <see cref="H2RequestContext.Response"/>.</summary>
/// <param name="context">The request, the response, and a token that fires if the stream or connection goes away.</param>
/// <returns>A task that completes when the handler is done; the response is completed then if it was not already.</returns>
public delegate Task H2RequestHandler(H2RequestContext context);
