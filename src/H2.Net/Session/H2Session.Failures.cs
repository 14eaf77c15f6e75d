namespace H2.Net.Session;

/// <summary>
/// What a session's streams fail with when the connection goes: the GOAWAY that ended it, our own
/// connection error, or the transport's failure, each an <see cref="H2ConnectionException"/>
/// saying whether the request was processed (RFC 9113 §8.7).
/// </summary>
internal abstract partial class H2Session
{
    /// <summary>Throws once a GOAWAY has been sent or received: no new stream may open (RFC 9113 §6.8), and the request may go elsewhere. Called under <see cref="Sync"/>.</summary>
    protected void ThrowIfGoingAway()
    {
        if (_goAwayReceived is not null)
        {
            throw ConnectionFailure(streamId: 0, unsent: true);
        }

        if (_closing)
        {
            throw new H2ConnectionException(ErrorCode.NoError, null, "The connection is closing (GOAWAY sent): the request was not sent and may go on another connection.", requestNotProcessed: true);
        }
    }

    /// <summary>
    /// What a stream's waits fail with when the connection takes it down: the GOAWAY that ended
    /// it (the stream unprocessed when above its last stream), our own connection error, or the
    /// transport's failure. Called under <see cref="Sync"/>.
    /// </summary>
    protected H2ConnectionException ConnectionFailure(int streamId, bool unsent = false)
    {
        if (_goAwayReceived is (ErrorCode code, int last))
        {
            bool above = streamId > last && Connection.Configuration.ClientSide == ((streamId & 1) == 1);
            return new H2ConnectionException(
                code,
                last,
                unsent || above
                    ? $"The peer sent GOAWAY ({code}, last stream {last}): the request was not processed and may be retried on another connection."
                    : $"The peer sent GOAWAY ({code}, last stream {last}) and the connection closed.",
                unsent || above,
                _failure);
        }

        if (_failure is ProtocolException error)
        {
            return new H2ConnectionException(error.ErrorCode, null, $"The connection failed with a connection error ({error.ErrorCode}): {error.Message}", unsent, error);
        }

        return new H2ConnectionException(
            ErrorCode.ConnectError,
            null,
            _failure is null ? "The HTTP/2 connection is closed." : $"The HTTP/2 connection was lost: {_failure.Message}",
            unsent,
            _failure);
    }
}
