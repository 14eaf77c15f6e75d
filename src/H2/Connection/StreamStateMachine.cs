using static H2.Connection.StreamInput;
using static H2.Connection.StreamOutcome;
using static H2.StreamState;

namespace H2.Connection;

/// <summary>
/// The stream life cycle of RFC 9113 §5.1 as a table: (state, input) → (next state, outcome), one
/// row per arrow of the RFC's figure plus the inputs that leave a state unchanged. Pairs that are
/// not listed are refused: a local misuse when sending, a connection PROTOCOL_ERROR when receiving
/// (what §5.1 prescribes for idle and reserved streams). Closed streams are not in the table: the
/// connection answers late frames on them according to how they closed.
/// The PUSH_PROMISE inputs apply to the associated stream, except from idle, where they describe
/// the promised stream becoming reserved.
/// </summary>
internal static class StreamStateMachine
{
    private static readonly (StreamState State, StreamInput Input, StreamState Next)[] s_rows =
    [
        // idle
        (Idle, SendHeaders, Open),
        (Idle, RecvHeaders, Open),
        (Idle, SendPushPromise, ReservedLocal),
        (Idle, RecvPushPromise, ReservedRemote),
        (Idle, UpgradeClient, HalfClosedLocal),
        (Idle, UpgradeServer, HalfClosedRemote),

        // reserved (local): the server sends the pushed response, or either side resets.
        (ReservedLocal, SendHeaders, HalfClosedRemote),
        (ReservedLocal, SendRstStream, Closed),
        (ReservedLocal, RecvRstStream, Closed),
        (ReservedLocal, RecvWindowUpdate, ReservedLocal),

        // reserved (remote): the client receives the pushed response, or either side resets.
        (ReservedRemote, RecvHeaders, HalfClosedLocal),
        (ReservedRemote, SendRstStream, Closed),
        (ReservedRemote, RecvRstStream, Closed),
        (ReservedRemote, SendWindowUpdate, ReservedRemote),

        // open
        (Open, SendHeaders, Open),
        (Open, RecvHeaders, Open),
        (Open, SendData, Open),
        (Open, RecvData, Open),
        (Open, SendPushPromise, Open),
        (Open, RecvPushPromise, Open),
        (Open, SendEndStream, HalfClosedLocal),
        (Open, RecvEndStream, HalfClosedRemote),
        (Open, SendRstStream, Closed),
        (Open, RecvRstStream, Closed),
        (Open, SendWindowUpdate, Open),
        (Open, RecvWindowUpdate, Open),

        // half-closed (local): we have finished sending.
        (HalfClosedLocal, RecvHeaders, HalfClosedLocal),
        (HalfClosedLocal, RecvData, HalfClosedLocal),
        (HalfClosedLocal, RecvPushPromise, HalfClosedLocal),
        (HalfClosedLocal, RecvEndStream, Closed),
        (HalfClosedLocal, SendRstStream, Closed),
        (HalfClosedLocal, RecvRstStream, Closed),
        (HalfClosedLocal, SendWindowUpdate, HalfClosedLocal),
        (HalfClosedLocal, RecvWindowUpdate, HalfClosedLocal),

        // half-closed (remote): the peer has finished sending.
        (HalfClosedRemote, SendHeaders, HalfClosedRemote),
        (HalfClosedRemote, SendData, HalfClosedRemote),
        (HalfClosedRemote, SendPushPromise, HalfClosedRemote),
        (HalfClosedRemote, SendEndStream, Closed),
        (HalfClosedRemote, SendRstStream, Closed),
        (HalfClosedRemote, RecvRstStream, Closed),
        (HalfClosedRemote, SendWindowUpdate, HalfClosedRemote),
        (HalfClosedRemote, RecvWindowUpdate, HalfClosedRemote),
    ];

    // RFC 9113 §5.1: in half-closed (remote), frames other than WINDOW_UPDATE, PRIORITY and
    // RST_STREAM are a stream error STREAM_CLOSED. (PUSH_PROMISE there is a connection error,
    // RFC 9113 §6.6, which the default gives.) Sending after our END_STREAM is a local misuse.
    private static readonly (StreamState State, StreamInput Input, StreamOutcome Outcome)[] s_errors =
    [
        (HalfClosedRemote, RecvHeaders, StreamClosedError),
        (HalfClosedRemote, RecvData, StreamClosedError),
        (HalfClosedRemote, RecvEndStream, StreamClosedError),
        (HalfClosedLocal, SendHeaders, SendOnClosedStream),
        (HalfClosedLocal, SendData, SendOnClosedStream),
        (HalfClosedLocal, SendEndStream, SendOnClosedStream),
        (HalfClosedLocal, SendPushPromise, SendOnClosedStream),
    ];

    private static readonly int s_inputs = Enum.GetValues<StreamInput>().Length;
    private static readonly (StreamState Next, StreamOutcome Outcome)[] s_table = Build();

    /// <summary>Looks up a transition; when the outcome is not <see cref="Allowed"/> the state must not change.</summary>
    public static (StreamState Next, StreamOutcome Outcome) Transition(StreamState state, StreamInput input) =>
        s_table[((int)state * s_inputs) + (int)input];

    private static (StreamState, StreamOutcome)[] Build()
    {
        int states = Enum.GetValues<StreamState>().Length;
        var table = new (StreamState, StreamOutcome)[states * s_inputs];
        for (int state = 0; state < states; state++)
        {
            for (int input = 0; input < s_inputs; input++)
            {
                bool sending = (StreamInput)input is SendHeaders or SendPushPromise or SendData or SendEndStream or SendRstStream or SendWindowUpdate;
                StreamOutcome refused = (StreamState)state == Closed
                    ? (sending ? SendOnClosedStream : StreamClosedError)
                    : (sending ? SendNotAllowed : ConnectionProtocolError);
                table[(state * s_inputs) + input] = ((StreamState)state, refused);
            }
        }

        foreach (var (state, input, outcome) in s_errors)
        {
            table[((int)state * s_inputs) + (int)input] = (state, outcome);
        }

        foreach (var (state, input, next) in s_rows)
        {
            table[((int)state * s_inputs) + (int)input] = (next, Allowed);
        }

        return table;
    }
}
