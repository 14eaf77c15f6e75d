namespace H2.Frames;

/// <summary>The optional padding of DATA, HEADERS and PUSH_PROMISE frames (RFC 9113 §6.1, §6.2, §6.6).</summary>
internal static class Padding
{
    /// <summary>
    /// Strips the pad length octet and the padding. <paramref name="fieldsLength"/> is the length
    /// of the fixed fields that follow the pad length (priority, promised stream) and stay at the
    /// start of the result.
    /// </summary>
    /// <returns>A FRAME_SIZE_ERROR when the payload cannot hold the fields the flags announce; a PROTOCOL_ERROR when the padding is as long as the rest or longer.</returns>
    public static FrameError? Remove(in FrameHeader header, ReadOnlySpan<byte> payload, int fieldsLength, out ReadOnlySpan<byte> content)
    {
        content = default;
        if (!header.HasFlag(FrameFlags.Padded))
        {
            if (payload.Length < fieldsLength)
            {
                return FrameError.Size($"{header.Type.RfcName()} frame of {payload.Length} octets is too short for its fields.");
            }

            content = payload;
            return null;
        }

        if (payload.Length < 1 + fieldsLength)
        {
            return FrameError.Size($"Padded {header.Type.RfcName()} frame of {payload.Length} octets is too short for its fields.");
        }

        // RFC 9113 §6.1: padding that fills the payload or more is a connection PROTOCOL_ERROR.
        int padLength = payload[0];
        int contentLength = payload.Length - 1 - padLength;
        if (contentLength < fieldsLength)
        {
            return FrameError.Connection(
                ErrorCode.ProtocolError,
                $"{header.Type.RfcName()} frame pad length {padLength} leaves no room in a payload of {payload.Length} octets.");
        }

        content = payload.Slice(1, contentLength);
        return null;
    }

    /// <summary>The octets padding adds to a payload: the pad length octet and the padding itself.</summary>
    public static int Overhead(int? padLength) => padLength is int n ? 1 + n : 0;

    /// <summary>Checks a pad length given by the caller.</summary>
    public static void Validate(int? padLength, string paramName)
    {
        if (padLength is int n && (uint)n > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(paramName, n, "Pad length must be 0 to 255.");
        }
    }

    /// <summary>
    /// Writes the pad length octet (if padded) and returns the span after it; the padding at the
    /// end of <paramref name="payload"/> is zeroed as RFC 9113 §6.1 requires.
    /// </summary>
    public static Span<byte> Write(Span<byte> payload, int? padLength)
    {
        if (padLength is not int n)
        {
            return payload;
        }

        payload[0] = (byte)n;
        payload[^n..].Clear();
        return payload[1..^n];
    }
}
