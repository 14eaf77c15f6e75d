namespace H2.Net.Transport;

/// <summary>Finding the end of an HTTP/1.1 message head (the blank line), for the Upgrade exchange.</summary>
internal static class Http11Head
{
    /// <summary>The index of the CRLF CRLF that ends the head, or -1 if it has not arrived yet.</summary>
    public static int IndexOfEnd(List<byte> buffer)
    {
        for (int i = 3; i < buffer.Count; i++)
        {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r')
            {
                return i - 3;
            }
        }

        return -1;
    }
}
