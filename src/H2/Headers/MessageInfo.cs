namespace H2.Headers;

/// <summary>What validation learned of a header block that the connection needs later.</summary>
internal struct MessageInfo
{
    public string? Method;
    public string? Scheme;
    public string? Authority;
    public string? Path;
    public string? Protocol;
    public string? Host;

    /// <summary>The :status of a response, or 0.</summary>
    public int Status;

    /// <summary>The content-length, or -1 when absent.</summary>
    public long ContentLength;

    public readonly bool IsInformational => Status is >= 100 and < 200;
}
