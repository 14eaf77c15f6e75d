using System.Buffers;

namespace H2.Net.Transport;

/// <summary>
/// Reads an HTTP/1.1 message head (start line and field lines, up to the blank line) from a
/// transport, for the Upgrade exchange: bounded in size, and scanned once, octet by octet, however
/// it is cut into reads.
/// </summary>
internal static class Http11Head
{
    private static readonly byte[] s_end = "\r\n\r\n"u8.ToArray();

    /// <summary>
    /// Reads until the CRLF CRLF that ends the head. Returns the head (without the blank line) and
    /// what was read beyond it, or <see langword="null"/> when the transport closes first.
    /// </summary>
    /// <param name="transport">Where the head arrives.</param>
    /// <param name="start">Octets already read from the transport.</param>
    /// <param name="maxSize">The largest head accepted.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="Http11Exception">The head grew past <paramref name="maxSize"/> (status 431).</exception>
    public static async Task<(byte[] Head, byte[] After)?> ReadAsync(Stream transport, ReadOnlyMemory<byte> start, int maxSize, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(4096, start.Length));
        try
        {
            start.CopyTo(buffer);
            int length = start.Length;
            int scanned = 0;
            while (true)
            {
                // Only the octets new since the last look are searched (with three before them, in
                // case the CRLF CRLF straddles two reads): a head sent an octet at a time costs no more.
                int from = Math.Max(0, scanned - (s_end.Length - 1));
                int found = buffer.AsSpan(from, length - from).IndexOf(s_end);
                if (found >= 0)
                {
                    int end = from + found;
                    return (buffer.AsSpan(0, end).ToArray(), buffer.AsSpan(end + s_end.Length, length - end - s_end.Length).ToArray());
                }

                scanned = length;
                if (length > maxSize)
                {
                    throw new Http11Exception(431, $"The request head exceeds {maxSize} octets.");
                }

                if (length == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await transport.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length - length, maxSize + s_end.Length - length + 1)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                length += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
