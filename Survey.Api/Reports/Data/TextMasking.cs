using System.Text.RegularExpressions;
using Survey.Domain.Privacy;

namespace Survey.Api.Reports.Data;

/// <summary>
/// Contact data written into free text (a customer leaving their number or address in a comment) is masked before it reaches a
/// report, the way the privacy API shows it to masked roles: 138****5678, a***@example.com.
/// </summary>
public static partial class TextMasking
{
    public static string Mask(string text)
    {
        text = Email().Replace(text, m => ContactMasking.Email(m.Value)!);
        return Phone().Replace(text, m => ContactMasking.Phone(m.Value)!);
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    /// <summary>Seven or more digits, with the usual separators and an optional +country code.</summary>
    [GeneratedRegex(@"\+?\d[\d \-()]{5,}\d")]
    private static partial Regex Phone();
}
