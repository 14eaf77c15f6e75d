using H2.Hpack;

namespace H2.Fuzz;

/// <summary>
/// Target <c>hpack</c>: a sequence of header blocks through one <see cref="HpackDecoder"/>, so the
/// dynamic table carries state from block to block as on a connection.
/// </summary>
/// <remarks>
/// After the control octet come records, each a big-endian 16-bit word and then data. A word
/// with the top bit clear is followed by a header block of that many octets (cut short at the end
/// of the input); with the top bit set, its low 15 bits become the decoder's
/// <see cref="HpackDecoder.MaxAllowedTableSize"/>, as when we lower SETTINGS_HEADER_TABLE_SIZE.
/// The control octet picks the initial table size (bits 0-1) and smaller limits (bits 2-3).
/// Every decoded list must survive an encode and decode through a second pair unchanged.
/// </remarks>
internal static class HpackTarget
{
    private static readonly int[] TableSizes = [4096, 0, 256, 65536];

    public static void Run(byte[] data)
    {
        FuzzInput input = FuzzInput.Parse(data);
        var decoder = new HpackDecoder(TableSizes[input.Control & 3])
        {
            MaxHeaderListSize = (input.Control & 4) != 0 ? 1024 : HpackDecoder.DefaultMaxHeaderListSize,
            MaxStringLength = (input.Control & 8) != 0 ? 64 : HpackDecoder.DefaultMaxStringLength,
        };
        var encoder = new HpackEncoder();
        var mirror = new HpackDecoder { MaxHeaderListSize = int.MaxValue, MaxStringLength = 256 * 1024 * 1024 };

        ReadOnlySpan<byte> rest = input.Payload;
        while (rest.Length >= 2)
        {
            int word = (rest[0] << 8) | rest[1];
            rest = rest[2..];
            if ((word & 0x8000) != 0)
            {
                decoder.MaxAllowedTableSize = word & 0x7FFF;
                continue;
            }

            ReadOnlySpan<byte> block = rest[..Math.Min(word, rest.Length)];
            rest = rest[block.Length..];
            IReadOnlyList<HeaderField> fields;
            try
            {
                fields = decoder.Decode(block);
            }
            catch (HpackDecodingException e) when (e.IsCompressionContextIntact)
            {
                CheckTable(decoder, afterSuccess: false);
                continue;
            }
            catch (H2Exception)
            {
                // The compression context is gone: so is the connection.
                return;
            }

            CheckTable(decoder, afterSuccess: true);
            RoundTrip(fields, encoder, mirror);
        }
    }

    private static void CheckTable(HpackDecoder decoder, bool afterSuccess)
    {
        if (decoder.DynamicTableSize > decoder.HeaderTableSize)
        {
            throw new FuzzAssertionException($"The dynamic table holds {decoder.DynamicTableSize} octets over its maximum of {decoder.HeaderTableSize}.");
        }

        // A decoded block began with any size update a lowered limit requires.
        if (afterSuccess && decoder.HeaderTableSize > decoder.MaxAllowedTableSize)
        {
            throw new FuzzAssertionException($"The table size {decoder.HeaderTableSize} exceeds the allowed {decoder.MaxAllowedTableSize} after a block decoded.");
        }
    }

    private static void RoundTrip(IReadOnlyList<HeaderField> fields, HpackEncoder encoder, HpackDecoder mirror)
    {
        IReadOnlyList<HeaderField> again;
        try
        {
            again = mirror.Decode(encoder.Encode(fields));
        }
        catch (H2Exception e)
        {
            throw new FuzzAssertionException("Our encoder's block for a decoded list failed to decode.", e);
        }

        if (again.Count != fields.Count)
        {
            throw new FuzzAssertionException($"{fields.Count} fields were encoded, {again.Count} decoded.");
        }

        for (int i = 0; i < fields.Count; i++)
        {
            if (!string.Equals(fields[i].Name, again[i].Name, StringComparison.Ordinal) || !string.Equals(fields[i].Value, again[i].Value, StringComparison.Ordinal))
            {
                throw new FuzzAssertionException($"Field {i} changed in an encode and decode: {fields[i]} became {again[i]}.");
            }
        }
    }
}
