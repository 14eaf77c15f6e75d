using System.Buffers;
using H2.Headers;
using H2.Hpack;

namespace H2.Connection;

/// <summary>
/// Our header blocks on their way out: normalized and checked before any octet is HPACK-encoded
/// (so a refused block leaves the compression context untouched), then encoded into one reused
/// buffer for the HEADERS or PUSH_PROMISE frame.
/// </summary>
internal sealed class HeaderBlockSender(H2Configuration config, Settings remote)
{
    private readonly HpackEncoder _encoder = new() { HeaderTableSize = Math.Min(HpackEncoder.DefaultHeaderTableSize, config.MaxEncoderTableSize) };
    private readonly ArrayBufferWriter<byte> _block = new(256);

    /// <summary>The peer's SETTINGS_HEADER_TABLE_SIZE, capped by ours (<see cref="H2Configuration.MaxEncoderTableSize"/>).</summary>
    public void TableSizeChanged() => _encoder.HeaderTableSize = (int)Math.Min(remote.HeaderTableSize, (uint)config.MaxEncoderTableSize);

    /// <summary>
    /// Normalizes (when configured) and validates a header list we are about to send; throws
    /// without encoding anything when it is refused.
    /// </summary>
    public IReadOnlyList<HeaderField> Prepare(IReadOnlyList<HeaderField> headers, MessageKind kind, out MessageInfo info)
    {
        // One pass finds the usual case and checks it: every field plain ASCII (valid, lowercase,
        // trimmed), with no cookie to split, needs no normalizing and no character checks. Any
        // other list is normalized (when configured) and checked again in full.
        bool plain = true;
        long listSize = 0;
        var checker = new HeaderChecker(kind);
        for (int i = 0; i < headers.Count; i++)
        {
            HeaderField field = headers[i];
            if (field.Name is null || field.Value is null)
            {
                throw new ArgumentException("Header names and values must not be null.", nameof(headers));
            }

            plain = plain
                && HeaderValidator.IsPlainName(field.Name)
                && HeaderValidator.IsPlainValue(field.Value)
                && !(config.SplitOutboundCookies && field.Name == "cookie" && field.Value.Contains("; ", StringComparison.Ordinal));
            listSize += field.Size;
            checker.Check(field, checkChars: false);
        }

        if (!plain)
        {
            if (config.NormalizeOutboundHeaders)
            {
                headers = HeaderNormalizer.NormalizeOutbound(headers, config.SplitOutboundCookies);
            }

            listSize = 0;
            checker = new HeaderChecker(kind);
            for (int i = 0; i < headers.Count; i++)
            {
                HeaderField field = headers[i];
                if (!Latin1.IsValid(field.Name) || !Latin1.IsValid(field.Value))
                {
                    throw new ArgumentException($"Header field '{field.Name}' holds a char above U+00FF; fields carry one octet per char.", nameof(headers));
                }

                listSize += field.Size;
                checker.Check(field);
            }
        }

        info = checker.Info;
        HeaderViolation violation = checker.Finish(extendedConnectAllowed: remote.EnableConnectProtocol);
        if (!violation.IsNone && config.ValidateOutboundHeaders)
        {
            throw new InvalidHeaderException(violation.Message!);
        }

        if (listSize > remote.MaxHeaderListSize)
        {
            throw new InvalidHeaderException(
                $"The header list of {listSize} octets exceeds the peer's SETTINGS_MAX_HEADER_LIST_SIZE of {remote.MaxHeaderListSize}.");
        }

        return headers;
    }

    /// <summary>Encodes a prepared list; the block stays valid until the next call.</summary>
    public ReadOnlySpan<byte> Encode(IReadOnlyList<HeaderField> headers)
    {
        _block.ResetWrittenCount();
        _encoder.EncodeValidated(headers, _block);
        return _block.WrittenSpan;
    }
}
