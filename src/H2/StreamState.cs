namespace H2;

/// <summary>The stream states of RFC 9113 §5.1 (Figure 2).</summary>
public enum StreamState : byte
{
    /// <summary>Not used yet.</summary>
    Idle,

    /// <summary>Promised by this side with PUSH_PROMISE; only its response headers may be sent.</summary>
    ReservedLocal,

    /// <summary>Promised by the peer with PUSH_PROMISE; only its response headers may arrive.</summary>
    ReservedRemote,

    /// <summary>Both sides may send.</summary>
    Open,

    /// <summary>This side has sent END_STREAM; the peer may still send.</summary>
    HalfClosedLocal,

    /// <summary>The peer has sent END_STREAM; this side may still send.</summary>
    HalfClosedRemote,

    /// <summary>Both sides have ended, or the stream was reset.</summary>
    Closed,
}
