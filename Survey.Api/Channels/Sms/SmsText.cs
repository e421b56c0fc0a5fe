namespace Survey.Api.Channels;

public enum SmsEncoding { Gsm7, Ucs2 }

/// <summary>How an SMS body travels: its encoding, its length in that encoding's units, and how many segments it is billed as.</summary>
public sealed record SmsMeasure(SmsEncoding Encoding, int Units, int Segments);

/// <summary>What an SMS invitation says; the builder drops the optional parts until the body is short enough.</summary>
public sealed record SmsInvitationContent(string Locale, string SenderName, string SurveyUrl, string? RecipientName = null, string? DealerName = null);

/// <summary>
/// SMS length rules. A body entirely in the GSM 03.38 alphabet travels as GSM-7: 160 septets in one segment, 153 per segment
/// once concatenated, characters of the extension table (<c>^{}\[~]|€</c>) taking two. Anything else (Chinese, emoji) makes the
/// whole body UCS-2: 70 UTF-16 units in one segment, 67 per segment concatenated. A character pair is never split across segments.
/// </summary>
public static class SmsText
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "\f^{}\\[~]|€";

    public static int Segments(string text) => Measure(text).Segments;

    public static SmsMeasure Measure(string text)
    {
        if (text.All(c => Basic.Contains(c) || Extension.Contains(c)))
        {
            var septets = text.Sum(c => Extension.Contains(c) ? 2 : 1);
            return new SmsMeasure(SmsEncoding.Gsm7, septets, septets <= 160 ? 1 : Split(text.Select(c => Extension.Contains(c) ? 2 : 1), 153));
        }
        var units = text.Length;
        if (units <= 70) return new SmsMeasure(SmsEncoding.Ucs2, units, 1);
        var sizes = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            sizes.Add(pair ? 2 : 1);
            if (pair) i++;
        }
        return new SmsMeasure(SmsEncoding.Ucs2, units, Split(sizes, 67));
    }

    /// <summary>Segments needed for characters of the given sizes when one that does not fit starts the next segment.</summary>
    private static int Split(IEnumerable<int> sizes, int capacity)
    {
        int segments = 1, used = 0;
        foreach (var size in sizes)
        {
            if (used + size > capacity) { segments++; used = 0; }
            used += size;
        }
        return segments;
    }

    /// <summary>
    /// The invitation SMS in Chinese (with the 【sender】 signature and 回复TD退订) or English (with "Reply STOP to opt out"). It takes
    /// the fullest wording that fits one segment, else the fullest that fits two, else the shortest: the survey link is never cut,
    /// so a long link alone can still exceed two segments (use short links for SMS).
    /// </summary>
    public static string Invitation(SmsInvitationContent content)
    {
        var candidates = content.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese(content) : English(content);
        return candidates.FirstOrDefault(c => Segments(c) <= 1) ?? candidates.FirstOrDefault(c => Segments(c) <= 2) ?? candidates[^1];
    }

    private static List<string> Chinese(SmsInvitationContent c)
    {
        var sign = $"【{c.SenderName}】";
        var url = c.SurveyUrl;
        var list = new List<string>();
        if (c.RecipientName is { } name && c.DealerName is { } dealer)
            list.Add($"{sign}{name}您好，感谢您光临{dealer}。请花1分钟评价本次服务：{url} 回复TD退订");
        if (c.DealerName is { } place)
            list.Add($"{sign}感谢您光临{place}，请花1分钟评价本次服务：{url} 回复TD退订");
        list.Add($"{sign}请花1分钟评价本次服务：{url} 回复TD退订");
        list.Add($"{sign}邀您评价：{url} 回复TD退订");
        return list;
    }

    private static List<string> English(SmsInvitationContent c)
    {
        var url = c.SurveyUrl;
        var list = new List<string>();
        if (c.RecipientName is { } name && c.DealerName is { } dealer)
            list.Add($"{c.SenderName}: Hi {name}, thanks for visiting {dealer}. How did we do? Take our 1-minute survey: {url} Reply STOP to opt out");
        if (c.DealerName is { } place)
            list.Add($"{c.SenderName}: Thanks for visiting {place}. How did we do? 1-minute survey: {url} Reply STOP to opt out");
        list.Add($"{c.SenderName}: How did we do? 1-minute survey: {url} Reply STOP to opt out");
        list.Add($"{c.SenderName} survey: {url} STOP to opt out");
        return list;
    }
}
