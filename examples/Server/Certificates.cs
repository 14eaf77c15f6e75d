using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace H2.Examples.Server;

/// <summary>The TLS certificate: PEM files, or a self-signed one for localhost made at start-up.</summary>
internal static class Certificates
{
    public static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // SslStream on Linux wants a certificate whose key came from a PKCS#12 import.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2 FromPem(FileInfo certificate, FileInfo key)
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificate.FullName, key.FullName);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
