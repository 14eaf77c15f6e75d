namespace H2.Connection;

/// <summary>How far the header blocks of one direction of a stream have got (RFC 9113 §8.1).</summary>
internal enum HeaderPhase : byte
{
    /// <summary>No header block yet.</summary>
    None,

    /// <summary>One or more informational (1xx) responses, no final one yet.</summary>
    Informational,

    /// <summary>The request, or the final response: the body may follow.</summary>
    Final,

    /// <summary>The trailer section: nothing may follow.</summary>
    Trailers,
}
