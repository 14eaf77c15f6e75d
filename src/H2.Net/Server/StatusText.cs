using System.Globalization;

namespace H2.Net.Server;

/// <summary>The :status values as strings, made once per code rather than once per response.</summary>
internal static class StatusText
{
    private static readonly string?[] s_codes = new string?[600];

    public static string For(int code)
    {
        if ((uint)code >= (uint)s_codes.Length)
        {
            return code.ToString(CultureInfo.InvariantCulture);
        }

        // A race makes the same string twice, which is harmless.
        return s_codes[code] ??= code.ToString(CultureInfo.InvariantCulture);
    }
}
