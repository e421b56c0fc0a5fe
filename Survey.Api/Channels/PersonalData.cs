using System.Text.RegularExpressions;

namespace Survey.Api.Channels;

/// <summary>Provider error texts often quote the address or number they refused; this keeps them out of logs and events.</summary>
internal static partial class PersonalData
{
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        text = Email().Replace(text, "[address]");
        text = Phone().Replace(text, "[number]");
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    [GeneratedRegex(@"[^\s<>""'(),;:]+@[^\s<>""'(),;:]+")]
    private static partial Regex Email();

    [GeneratedRegex(@"\+?\d[\d\s().-]{5,}\d")]
    private static partial Regex Phone();
}
