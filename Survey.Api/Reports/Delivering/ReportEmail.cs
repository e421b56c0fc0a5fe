using System.Globalization;
using System.Net;
using MimeKit;
using Survey.Api.Channels;

namespace Survey.Api.Reports.Delivering;

/// <summary>
/// The e-mail carrying a region report: the PDF attached, and a short summary in the body (HTML and plain text) in the report's
/// language: the region's experience index and NPS, its best and worst dealers, a link to the console.
/// </summary>
public static class ReportEmail
{
    public static MimeMessage Compose(RegionReport report, ReportLanguage language, string toName, string toAddress, byte[] pdf, string fileName,
        string messageId, string consoleUrl, EmailOptions settings, DateTimeOffset now)
    {
        var zh = language == ReportLanguage.ZhCn;
        var ranked = report.Dealers.Where(d => d.Kpis.ExperienceIndex.Value is not null && !d.Kpis.ExperienceIndex.Suppressed)
            .OrderByDescending(d => d.Kpis.ExperienceIndex.Value).ThenBy(d => d.Dealer.Code, StringComparer.Ordinal).ToList();
        var best = ranked.Take(3).ToList();
        var worst = ranked.Count > 3 ? ranked.TakeLast(Math.Min(3, ranked.Count - 3)).Reverse().ToList() : [];
        string Value(Kpi k, int decimals) => k.Value is { } v && !k.Suppressed ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : zh ? "样本不足" : "insufficient data";
        string Line(DealerScorecard d) => $"{d.Dealer.Name} ({d.Dealer.Code}): {Value(d.Kpis.ExperienceIndex, 1)}";

        var subject = zh ? $"{report.Brand} 区域报告 {report.Region} {report.Period.Label}" : $"{report.Brand} region report {report.Region} {report.Period.Label}";
        var (hello, intro, index, nps, bestLabel, worstLabel, open, none) = zh
            ? ($"{toName}，您好：", $"附件是{report.Region} {report.Period.Label} 的区域报告（PDF，{report.Dealers.Count} 家经销商）。", "体验指数", "NPS", "表现最好", "需要关注", "在控制台查看", "（无）")
            : ($"Hello {toName},", $"Attached is the region report of {report.Region} for {report.Period.Label} (PDF, {report.Dealers.Count} dealers).", "Experience index", "NPS", "Best", "Needs attention", "Open in the console", "(none)");

        var text = string.Join("\n", [
            hello, "", intro, "",
            $"{index}: {Value(report.Kpis.ExperienceIndex, 1)}", $"{nps}: {Value(report.Kpis.Nps, 0)}", "",
            $"{bestLabel}:", .. best.Count == 0 ? [none] : best.Select(d => "  " + Line(d)),
            $"{worstLabel}:", .. worst.Count == 0 ? [none] : worst.Select(d => "  " + Line(d)), "",
            $"{open}: {consoleUrl}", ""]);
        static string E(string s) => WebUtility.HtmlEncode(s);
        string List(IReadOnlyList<DealerScorecard> dealers) => dealers.Count == 0 ? $"<p>{E(none)}</p>" : "<ul>" + string.Concat(dealers.Select(d => $"<li>{E(Line(d))}</li>")) + "</ul>";
        var html = $"""
            <p>{E(hello)}</p><p>{E(intro)}</p>
            <table cellpadding="4"><tr><td>{E(index)}</td><td><b>{E(Value(report.Kpis.ExperienceIndex, 1))}</b></td></tr><tr><td>{E(nps)}</td><td><b>{E(Value(report.Kpis.Nps, 0))}</b></td></tr></table>
            <p><b>{E(bestLabel)}</b></p>{List(best)}<p><b>{E(worstLabel)}</b></p>{List(worst)}
            <p><a href="{E(consoleUrl)}">{E(open)}</a></p>
            """;

        var from = MailboxAddress.Parse(settings.FromAddress);
        if (!string.IsNullOrWhiteSpace(settings.FromName)) from.Name = settings.FromName;
        var message = new MimeMessage { Subject = subject, Date = now, MessageId = messageId };
        message.From.Add(from);
        message.To.Add(new MailboxAddress(toName, toAddress));
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        body.Attachments.Add(fileName, pdf, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        message.Headers.Add(HeaderId.ContentLanguage, zh ? "zh-CN" : "en");
        return message;
    }
}
