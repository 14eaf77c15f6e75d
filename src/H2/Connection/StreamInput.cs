namespace H2.Connection;

/// <summary>What can happen to a stream: the frames and flags of RFC 9113 §5.1, sent or received.</summary>
internal enum StreamInput : byte
{
    SendHeaders,
    SendPushPromise,
    SendData,
    SendEndStream,
    SendRstStream,
    SendWindowUpdate,
    RecvHeaders,
    RecvPushPromise,
    RecvData,
    RecvEndStream,
    RecvRstStream,
    RecvWindowUpdate,

    // h2c upgrade (RFC 7540 §3.2): stream 1 starts half-closed, from the side that sent the request.
    UpgradeClient,
    UpgradeServer,
}
