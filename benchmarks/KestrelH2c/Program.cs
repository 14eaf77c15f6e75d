using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// A minimal Kestrel app for benchmarks/load.sh: GET / answers a small JSON body, as
// examples/Server does. Usage: KestrelH2c <cleartext-port> [tls-port]
int port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 8081;
int tlsPort = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.Http2.MaxStreamsPerConnection = 256;
    kestrel.ListenLocalhost(port, listen => listen.Protocols = HttpProtocols.Http2);
    if (tlsPort > 0)
    {
        kestrel.ListenLocalhost(tlsPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(SelfSigned());
        });
    }
});
WebApplication app = builder.Build();

// The same answer as examples/Server's GET /: the request's header fields as a JSON object.
app.MapGet("/", async context =>
{
    HttpRequest request = context.Request;
    using var json = new MemoryStream();
    using (var writer = new System.Text.Json.Utf8JsonWriter(json))
    {
        writer.WriteStartObject();
        writer.WriteString(":method", request.Method);
        writer.WriteString(":path", request.Path.Value);
        writer.WriteString(":scheme", request.Scheme);
        writer.WriteString(":authority", request.Host.Value);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> field in request.Headers)
        {
            if (field.Key != "Host")
            {
                writer.WriteString(field.Key.ToLowerInvariant(), field.Value.ToString());
            }
        }

        writer.WriteEndObject();
    }

    context.Response.ContentType = "application/json";
    context.Response.ContentLength = json.Length;
    await context.Response.Body.WriteAsync(json.GetBuffer().AsMemory(0, (int)json.Length));
});
app.Run();

static X509Certificate2 SelfSigned()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
    var names = new SubjectAlternativeNameBuilder();
    names.AddDnsName("localhost");
    request.CertificateExtensions.Add(names.Build());
    using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
}
