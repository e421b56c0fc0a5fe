using System.Text;

namespace Survey.Api.Channels;

/// <summary>What an invitation email says; texts not given are taken from the built-in zh-CN or en wording.</summary>
/// <param name="Locale">BCP 47 tag; <c>zh*</c> renders Chinese, anything else English.</param>
/// <param name="SenderName">The brand the respondent knows, shown at the top and in the footer.</param>
/// <param name="Question">The questionnaire's own NPS question in this locale; a generic one when empty.</param>
public sealed record InvitationEmailContent(
    string Locale, string SurveyUrl, string SenderName, string? UnsubscribeUrl = null,
    string? RecipientName = null, string? DealerName = null, string? Question = null);

public sealed record RenderedEmail(string Subject, string Text, string Html);

/// <summary>
/// The invitation email: greeting, a short introduction, the 0-10 question as a row of links (a table with inline styles, which
/// Outlook, Gmail and Apple Mail all lay out the same way), a link to the survey and a footer with the unsubscribe link.
/// </summary>
public static class InvitationEmail
{
    private sealed record Wording(
        Func<InvitationEmailContent, string> Subject, Func<string?, string> Greeting, Func<InvitationEmailContent, string> Intro,
        Func<string, string> Question, string Low, string High, string Hint, string Open, Func<InvitationEmailContent, string> Footer,
        string Unsubscribe, string HtmlLang);

    private static readonly Wording Chinese = new(
        c => c.DealerName is { } dealer ? $"您在{dealer}的体验如何？" : $"{c.SenderName}想听听您的意见",
        name => name is null ? "您好：" : $"{name}，您好：",
        c => $"感谢您近期光临{c.DealerName ?? c.SenderName}。只需一分钟告诉我们您的感受，帮助我们做得更好。",
        subject => $"您向朋友或同事推荐{subject}的可能性有多大？",
        "完全不可能", "非常可能",
        "点一个分数即可打开问卷，页面会显示您选的分数；在页面上确认后才会提交。",
        "打开问卷",
        c => c.DealerName is { } dealer ? $"这封邮件由{c.SenderName}发送，因为您近期在{dealer}接受了服务。" : $"这封邮件由{c.SenderName}发送，因为您近期使用了我们的服务。",
        "退订此类邮件", "zh-CN");

    private static readonly Wording English = new(
        c => c.DealerName is { } dealer ? $"How was your visit to {dealer}?" : $"{c.SenderName} would like your feedback",
        name => name is null ? "Hello," : $"Dear {name},",
        c => $"Thank you for choosing {c.DealerName ?? c.SenderName} recently. It takes a minute to tell us how it went, and it helps us do better.",
        subject => $"How likely are you to recommend {subject} to a friend or colleague?",
        "Not at all likely", "Extremely likely",
        "Pick a score to open the survey with it selected; nothing is recorded until you confirm it on the page.",
        "Open the survey",
        c => c.DealerName is { } dealer ? $"{c.SenderName} sent you this email because you recently visited {dealer}." : $"{c.SenderName} sent you this email because you recently used our services.",
        "Unsubscribe from these emails", "en");

    private const string Font = "-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei','Noto Sans CJK SC',Helvetica,Arial,sans-serif";

    public static RenderedEmail Render(InvitationEmailContent content)
    {
        var words = content.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;
        var subject = words.Subject(content);
        var question = string.IsNullOrWhiteSpace(content.Question) ? words.Question(content.DealerName ?? content.SenderName) : content.Question;
        var links = EmailNps.Links(content.SurveyUrl);
        return new RenderedEmail(subject, Text(content, words, question, links), Html(content, words, subject, question, links));
    }

    private static string Text(InvitationEmailContent c, Wording w, string question, IReadOnlyList<NpsLink> links)
    {
        var text = new StringBuilder(TextCapacity);
        text.Append(w.Greeting(c.RecipientName)).Append("\n\n").Append(w.Intro(c)).Append("\n\n").Append(question).Append("\n\n");
        AppendScoreList(text, links, w);
        text.Append('\n').Append(w.Hint).Append("\n\n").Append(w.Open).Append(": ").Append(c.SurveyUrl).Append("\n\n-- \n").Append(w.Footer(c));
        if (c.UnsubscribeUrl is { } unsubscribe) text.Append('\n').Append(w.Unsubscribe).Append(": ").Append(unsubscribe);
        return text.Append('\n').ToString();
    }

    /// <summary>The 0-10 links as plain-text lines, the ends labelled.</summary>
    private static string ScoreList(IReadOnlyList<NpsLink> links, Wording w) => AppendScoreList(new StringBuilder(), links, w).ToString();

    private static StringBuilder AppendScoreList(StringBuilder text, IReadOnlyList<NpsLink> links, Wording w)
    {
        foreach (var link in links)
        {
            text.Append(link.Score);
            if (link.Score == links[0].Score) text.Append(" (").Append(w.Low).Append(')');
            else if (link.Score == links[^1].Score) text.Append(" (").Append(w.High).Append(')');
            text.Append(": ").Append(link.Url).Append('\n');
        }
        return text;
    }

    /// <summary>The 0-10 row as an HTML table of links with the end labels under it (email-client-safe inline styles).</summary>
    private static string ScoreRow(IReadOnlyList<NpsLink> links, Wording w) => AppendScoreRow(new StringBuilder(), links, w).ToString();

    private static StringBuilder AppendScoreRow(StringBuilder html, IReadOnlyList<NpsLink> links, Wording w)
    {
        html.Append("""
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="table-layout:fixed;"><tr>

            """);
        foreach (var link in links)
            html.Append($"""
                <td align="center" width="8%" height="44" bgcolor="#eef2ff" style="border:1px solid #c7d2fe;border-radius:6px;background-color:#eef2ff;"><a href="{new Escaped(link.Url)}" title="{link.Score}" style="display:block;padding:11px 0;font-family:{Font};font-size:16px;line-height:20px;font-weight:bold;color:#1d4ed8;text-decoration:none;">{link.Score}</a></td>
                """).Append(link.Score < links[^1].Score ? "<td width=\"1%\" style=\"font-size:0;line-height:0;\">&nbsp;</td>\n" : "\n");
        return html.Append($"""
            </tr></table>
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
            <td align="left" style="padding-top:8px;font-family:{Font};font-size:12px;line-height:18px;color:#6b7280;">{new Escaped(w.Low)}</td>
            <td align="right" style="padding-top:8px;font-family:{Font};font-size:12px;line-height:18px;color:#6b7280;">{new Escaped(w.High)}</td>
            </tr></table>
            """);
    }

    private static string Html(InvitationEmailContent c, Wording w, string subject, string question, IReadOnlyList<NpsLink> links)
    {
        var unsubscribe = c.UnsubscribeUrl is { } url
            ? $"""<br><a href="{new Escaped(url)}" style="color:#6b7280;text-decoration:underline;">{new Escaped(w.Unsubscribe)}</a>"""
            : "";
        var html = new StringBuilder(HtmlCapacity);
        html.Append($"""
            <!DOCTYPE html>
            <html lang="{w.HtmlLang}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light">
            <title>{new Escaped(subject)}</title>
            </head>
            <body style="margin:0;padding:0;background-color:#f3f4f6;">
            <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{new Escaped(question)}</div>
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f3f4f6" style="background-color:#f3f4f6;">
            <tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;">
            <tr><td style="padding:28px 32px 4px;font-family:{Font};font-size:20px;line-height:28px;font-weight:bold;color:#111827;">{new Escaped(c.SenderName)}</td></tr>
            <tr><td style="padding:12px 32px 0;font-family:{Font};font-size:15px;line-height:24px;color:#374151;">{new Escaped(w.Greeting(c.RecipientName))}</td></tr>
            <tr><td style="padding:8px 32px 0;font-family:{Font};font-size:15px;line-height:24px;color:#374151;">{new Escaped(w.Intro(c))}</td></tr>
            <tr><td style="padding:24px 32px 12px;font-family:{Font};font-size:17px;line-height:26px;font-weight:bold;color:#111827;">{new Escaped(question)}</td></tr>
            <tr><td style="padding:0 24px;">

            """);
        AppendScoreRow(html, links, w);
        html.Append($"""

            </td></tr>
            <tr><td style="padding:20px 32px 0;font-family:{Font};font-size:13px;line-height:20px;color:#6b7280;">{new Escaped(w.Hint)}</td></tr>
            <tr><td style="padding:16px 32px 28px;font-family:{Font};font-size:15px;line-height:24px;"><a href="{new Escaped(c.SurveyUrl)}" style="color:#1d4ed8;font-weight:bold;text-decoration:underline;">{new Escaped(w.Open)}</a></td></tr>
            </table>
            <table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;">
            <tr><td align="center" style="padding:16px 32px;font-family:{Font};font-size:12px;line-height:18px;color:#6b7280;">{new Escaped(w.Footer(c))}{unsubscribe}</td></tr>
            </table>
            </td></tr>
            </table>
            </body>
            </html>
            """);
        return html.ToString();
    }

    /// <summary>
    /// A marketer's template filled for one recipient: O-data placeholders from <paramref name="data"/>, the email's own from
    /// the content; every value HTML-encoded in the HTML body, the 0-10 row and list inserted as they are.
    /// </summary>
    public static RenderedEmail Render(Survey.Domain.Invitations.EmailTemplate template, InvitationEmailContent content, string title, Func<string, string?> data)
    {
        var words = content.Locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese : English;
        var question = string.IsNullOrWhiteSpace(content.Question) ? words.Question(content.DealerName ?? content.SenderName) : content.Question;
        var links = EmailNps.Links(content.SurveyUrl);
        string? Value(string name) => name switch
        {
            "survey.title" => title,
            "survey.url" => content.SurveyUrl,
            "question" => question,
            "sender.name" => content.SenderName,
            "unsubscribe.url" => content.UnsubscribeUrl ?? "",
            _ => data(name),
        };
        var subject = Survey.Domain.Invitations.EmailTemplates.Fill(template.Subject, Value, v => v, new Dictionary<string, string>());
        var html = Survey.Domain.Invitations.EmailTemplates.Fill(template.Html, Value, E, new Dictionary<string, string> { ["nps.links"] = ScoreRow(links, words) });
        var text = Survey.Domain.Invitations.EmailTemplates.Fill(template.Text, Value, v => v, new Dictionary<string, string> { ["nps.links"] = ScoreList(links, words).TrimEnd('\n') });
        return new RenderedEmail(subject, text, html);
    }

    /// <summary>About what a built-in e-mail's bodies take (with a ~250-character link 13 times), so their builders do not grow.</summary>
    private const int HtmlCapacity = 16 * 1024, TextCapacity = 6 * 1024;

    /// <summary>HTML-encodes the five significant characters only, so Chinese text stays readable in the source.</summary>
    private static string E(string text) => text.AsSpan().ContainsAny("&<>\"'") ? $"{new Escaped(text)}" : text;

    /// <summary>
    /// A text HTML-encoded (<see cref="E"/>) straight into the builder of an interpolated string (no escaped copy of the text):
    /// the links of an e-mail are ~300 characters each, 13 of them per message.
    /// </summary>
    private readonly struct Escaped(string text) : ISpanFormattable
    {
        public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        {
            charsWritten = 0;
            foreach (var c in text)
            {
                var replacement = c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\'' => "&#39;", _ => null };
                if (replacement is null)
                {
                    if (charsWritten >= destination.Length) return false;
                    destination[charsWritten++] = c;
                }
                else
                {
                    if (!replacement.TryCopyTo(destination[charsWritten..])) return false;
                    charsWritten += replacement.Length;
                }
            }
            return true;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) => E(text);

        public override string ToString() => E(text);
    }
}
