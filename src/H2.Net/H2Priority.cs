using System.Globalization;

namespace H2.Net;

/// <summary>
/// The priority of a response, as RFC 9218 §4 has it: an urgency from 0 (most urgent) to 7, 3 by
/// default, and whether it is incremental (useful in parts, so it may share the connection with
/// others of its urgency) or wanted whole before the next. Carried in the <c>priority</c> header
/// field and PRIORITY_UPDATE frames; <see cref="ToString"/> gives the field's value.
/// </summary>
/// <param name="Urgency">0 to 7; lower goes first.</param>
/// <param name="Incremental">Whether the response is useful in parts.</param>
public readonly record struct H2Priority(int Urgency = H2Priority.DefaultUrgency, bool Incremental = false)
{
    /// <summary>The urgency of a response that states none (RFC 9218 §4.1).</summary>
    public const int DefaultUrgency = 3;

    /// <summary>The priority of a response that states none: urgency 3, not incremental.</summary>
    public static H2Priority Default => new(DefaultUrgency, false);

    /// <summary>
    /// Reads a <c>priority</c> field value (an RFC 8941 dictionary): <c>u=</c> an integer 0–7,
    /// <c>i</c> a boolean; members it does not know, values out of range and parse errors are
    /// ignored, as RFC 9218 §4 says, leaving the defaults.
    /// </summary>
    /// <param name="fieldValue">The field's value (of the header field, or of a PRIORITY_UPDATE frame, which replaces the priority whole), or <see langword="null"/>.</param>
    /// <returns>The priority.</returns>
    public static H2Priority Parse(string? fieldValue)
    {
        H2Priority result = Default;
        if (string.IsNullOrEmpty(fieldValue))
        {
            return result;
        }

        foreach (string member in fieldValue.Split(','))
        {
            string item = member.Trim();
            int parameters = item.IndexOf(';', StringComparison.Ordinal);
            if (parameters >= 0)
            {
                item = item[..parameters];
            }

            int equals = item.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? item : item[..equals]).Trim();
            string? value = equals < 0 ? null : item[(equals + 1)..].Trim();
            switch (key)
            {
                case "u" when value is not null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int urgency) && urgency <= 7:
                    result = result with { Urgency = urgency };
                    break;
                case "i" when value is null or "?1":
                    result = result with { Incremental = true };
                    break;
                case "i" when value == "?0":
                    result = result with { Incremental = false };
                    break;
            }
        }

        return result;
    }

    /// <summary>The <c>priority</c> field value: <c>u=5, i</c>; empty for the default priority.</summary>
    /// <returns>The value.</returns>
    public override string ToString() =>
        this == Default ? string.Empty
        : Incremental ? string.Create(CultureInfo.InvariantCulture, $"u={Urgency}, i")
        : string.Create(CultureInfo.InvariantCulture, $"u={Urgency}");
}
