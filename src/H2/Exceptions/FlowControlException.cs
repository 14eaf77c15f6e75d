namespace H2;

/// <summary>Flow control was broken: data beyond a window, or a window grown past 2^31-1 (RFC 9113 §6.9): FLOW_CONTROL_ERROR.</summary>
public sealed class FlowControlException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public FlowControlException(string message, int? streamId = null)
        : base(ErrorCode.FlowControlError, message, streamId)
    {
    }

    /// <summary>Creates the exception with an explicit error code.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public FlowControlException(ErrorCode errorCode, string message, int? streamId = null)
        : base(errorCode, message, streamId)
    {
    }
}
