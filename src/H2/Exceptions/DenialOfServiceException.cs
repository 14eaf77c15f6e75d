namespace H2;

/// <summary>
/// The peer's behaviour crossed one of the protective limits (for example too many CONTINUATION
/// frames for one header block): ENHANCE_YOUR_CALM unless another code is given.
/// </summary>
public sealed class DenialOfServiceException : ProtocolException
{
    /// <summary>Creates a connection error with ENHANCE_YOUR_CALM.</summary>
    /// <param name="message">Which limit was crossed.</param>
    public DenialOfServiceException(string message)
        : base(ErrorCode.EnhanceYourCalm, message)
    {
    }

    /// <summary>Creates the exception with a chosen error code and scope.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">Which limit was crossed.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/>.</param>
    public DenialOfServiceException(ErrorCode errorCode, string message, int? streamId)
        : base(errorCode, message, streamId)
    {
    }
}
