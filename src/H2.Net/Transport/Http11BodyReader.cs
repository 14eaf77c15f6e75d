using System.Globalization;
using System.Text;

namespace H2.Net.Transport;

/// <summary>
/// Reads an HTTP/1.1 request body of known length or in chunked transfer coding (RFC 9112 §6,
/// §7.1), bounded, from octets already read and then the transport; what follows the body is
/// left in <see cref="Rest"/>.
/// </summary>
internal sealed class Http11BodyReader(Stream transport, byte[] already)
{
    // A chunk-size line (size and extensions), and the whole trailer section, are short.
    private const int MaxLine = 1024;
    private const int MaxTrailerSection = 16 * 1024;

    private byte[] _buffer = already;
    private int _offset;

    /// <summary>What was read beyond the body.</summary>
    public byte[] Rest => _buffer[_offset..];

    /// <summary>Reads <paramref name="length"/> octets; <see langword="null"/> if the transport closes first.</summary>
    public async Task<byte[]?> ReadExactlyAsync(int length, CancellationToken cancellationToken)
    {
        var body = new byte[length];
        return await FillAsync(body, cancellationToken).ConfigureAwait(false) ? body : null;
    }

    /// <summary>Reads a chunked body of at most <paramref name="maxLength"/> octets, trailers dropped; <see langword="null"/> if the transport closes first.</summary>
    /// <exception cref="Http11Exception">A malformed chunk (400), or more than the bound (413, with <paramref name="tooLargeReason"/>).</exception>
    public async Task<byte[]?> ReadChunkedAsync(int maxLength, string tooLargeReason, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            if (await ReadLineAsync(MaxLine, cancellationToken).ConfigureAwait(false) is not string sizeLine)
            {
                return null;
            }

            // chunk-size [ chunk-ext ]: the extensions (after ';') mean nothing to us.
            int semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            string size = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).TrimEnd(' ', '\t');
            if (size.Length is 0 or > 8 || !int.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int chunk) || chunk < 0)
            {
                throw new Http11Exception(400, $"Invalid chunk size '{size}'.");
            }

            if (chunk == 0)
            {
                return await SkipTrailerSectionAsync(cancellationToken).ConfigureAwait(false) ? body.ToArray() : null;
            }

            if (body.Length + chunk > maxLength)
            {
                throw new Http11Exception(413, tooLargeReason);
            }

            byte[] data = new byte[chunk];
            if (!await FillAsync(data, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            body.Write(data);
            if (await ReadLineAsync(MaxLine, cancellationToken).ConfigureAwait(false) is not string end)
            {
                return null;
            }

            if (end.Length != 0)
            {
                throw new Http11Exception(400, "Chunk data longer than its size.");
            }
        }
    }

    private async Task<bool> SkipTrailerSectionAsync(CancellationToken cancellationToken)
    {
        int total = 0;
        while (await ReadLineAsync(MaxTrailerSection, cancellationToken).ConfigureAwait(false) is string line)
        {
            if (line.Length == 0)
            {
                return true;
            }

            total += line.Length + 2;
            if (total > MaxTrailerSection)
            {
                throw new Http11Exception(431, $"The trailer section exceeds {MaxTrailerSection} octets.");
            }
        }

        return false;
    }

    /// <summary>A line ended by CRLF, without it; <see langword="null"/> if the transport closes first.</summary>
    private async Task<string?> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_offset == _buffer.Length && !await ReadMoreAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            byte b = _buffer[_offset++];
            if (b == '\r')
            {
                if (_offset == _buffer.Length && !await ReadMoreAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                if (_buffer[_offset++] != '\n')
                {
                    throw new Http11Exception(400, "A bare CR in the chunked framing.");
                }

                return line.ToString();
            }

            if (b == '\n' || line.Length >= maxLength)
            {
                throw new Http11Exception(400, b == '\n' ? "A bare LF in the chunked framing." : "A chunk line too long.");
            }

            line.Append((char)b);
        }
    }

    private async Task<bool> FillAsync(byte[] destination, CancellationToken cancellationToken)
    {
        int have = 0;
        while (have < destination.Length)
        {
            if (_offset == _buffer.Length && !await ReadMoreAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            int take = Math.Min(destination.Length - have, _buffer.Length - _offset);
            _buffer.AsSpan(_offset, take).CopyTo(destination.AsSpan(have));
            _offset += take;
            have += take;
        }

        return true;
    }

    private async Task<bool> ReadMoreAsync(CancellationToken cancellationToken)
    {
        byte[] next = new byte[16 * 1024];
        int read = await transport.ReadAsync(next, cancellationToken).ConfigureAwait(false);
        _buffer = next[..read];
        _offset = 0;
        return read > 0;
    }
}
