namespace H2;

/// <summary>A setting has a value RFC 9113 §6.5.2 (or its extension) does not allow.</summary>
public sealed class InvalidSettingsValueException : ProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public InvalidSettingsValueException(string message, int? streamId = null)
        : base(ErrorCode.ProtocolError, message, streamId)
    {
    }

    /// <summary>Creates the exception with an explicit error code.</summary>
    /// <param name="errorCode">The RFC error code.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="streamId">The stream the error is confined to, or <see langword="null"/> for the connection.</param>
    public InvalidSettingsValueException(ErrorCode errorCode, string message, int? streamId = null)
        : base(errorCode, message, streamId)
    {
    }
}
