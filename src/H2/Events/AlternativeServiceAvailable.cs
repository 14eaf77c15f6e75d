namespace H2.Events;

/// <summary>A client received an ALTSVC frame (RFC 7838): the origin is also served elsewhere.</summary>
public sealed class AlternativeServiceAvailable : Event
{
    internal AlternativeServiceAvailable(string origin, string fieldValue)
    {
        Origin = origin;
        FieldValue = fieldValue;
    }

    /// <summary>The origin the advertisement applies to (for a stream's advertisement, that stream's origin as the request named it).</summary>
    public string Origin { get; }

    /// <summary>The Alt-Svc field value, for example <c>h2="alt.example.com:443"; ma=3600</c>.</summary>
    public string FieldValue { get; }

    /// <inheritdoc/>
    public override string ToString() => $"AlternativeServiceAvailable({Origin}: {FieldValue})";
}
