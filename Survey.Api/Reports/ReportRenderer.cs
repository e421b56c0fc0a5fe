using Survey.Api.Reports.Documents;
using Survey.Api.Reports.Layout;

namespace Survey.Api.Reports;

/// <summary>Renders the reports to PDF. Thread-safe: each call lays out and writes its own document.</summary>
public sealed class ReportRenderer(FontSet fonts)
{
    /// <summary>One dealer's scorecard.</summary>
    public PdfResult RenderDealerScorecard(DealerScorecard card, ReportLanguage language, Stream output)
    {
        var labels = ReportLabels.For(language);
        var section = DealerScorecardDocument.Build(card, labels, fonts.CjkFamily, bookmark: false);
        var document = new Document($"{card.Brand} {card.Dealer.Name} {labels.DealerScorecard} {card.Period.Label}", card.Brand,
            DocumentDate(card.Period), [section],
            $"{card.Brand} · {labels.DealerScorecard} · {card.Dealer.Code} · {card.Period.Label} · {labels.Confidential}",
            labels.Page, labels.Locale);
        return PdfWriter.Write(document, fonts, output);
    }

    /// <summary>A region report: summary and league table, small multiples, then every dealer's scorecard with a bookmark.</summary>
    public PdfResult RenderRegionReport(RegionReport report, ReportLanguage language, Stream output) =>
        PdfWriter.Write(RegionReportDocument.Build(report, ReportLabels.For(language), fonts.CjkFamily), fonts, output);

    /// <summary>The creation and modification date written into the PDF: the end of the period, so equal input gives equal output.</summary>
    public static DateTime DocumentDate(ReportPeriod period) => period.End.ToDateTime(new TimeOnly(0, 0), DateTimeKind.Utc);

    public static ReportLanguage ParseLanguage(string? language) =>
        language is not null && language.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? ReportLanguage.ZhCn : ReportLanguage.En;
}
