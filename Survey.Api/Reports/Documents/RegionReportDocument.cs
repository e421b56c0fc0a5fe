using Survey.Api.Reports.Layout;

namespace Survey.Api.Reports.Documents;

/// <summary>
/// A region for its manager: region figures, trend and the league table of its dealers (each row links to the dealer's
/// scorecard); a page of small trend charts; then one scorecard per dealer, each with a bookmark.
/// </summary>
internal static class RegionReportDocument
{
    private const int MultiplesPerRow = 3;

    public static Document Build(RegionReport report, ReportLabels labels, string chartFont)
    {
        var dealers = report.Dealers
            .OrderBy(d => d.Kpis.ExperienceIndex.Suppressed || d.Kpis.ExperienceIndex.Value is null)
            .ThenByDescending(d => d.Kpis.ExperienceIndex.Value ?? double.MinValue)
            .ThenBy(d => d.RegionRank.Position <= 0 ? int.MaxValue : d.RegionRank.Position)
            .ThenBy(d => d.Dealer.Code, StringComparer.Ordinal)
            .ToList();
        var header = $"{report.Brand} · {report.Region}";
        var title = $"{labels.RegionReport} · {report.Period.Label}";

        var summary = new Section([
            new Text(report.Region, new TextStyle(22, Bold: true, Color: 0xFF101828, LineHeight: 1.2f)),
            new Text($"{report.Brand} · {labels.RegionReport} · {report.Period.Label} · {dealers.Count} {labels.Dealers}", new TextStyle(9.5f, Color: Format.Neutral)),
            DealerScorecardDocument.KpiGrid(report.Kpis, labels, null, null),
            new Column([
                DealerScorecardDocument.Heading(labels.NpsTrend),
                DealerScorecardDocument.Legend((labels.ThisRegion, Charts.PrimaryColor, false), (labels.NationalAverage, Charts.ReferenceColor, true)),
                new Chart(Charts.Trend(report.NpsTrend, chartFont), 150),
            ], 4),
            new Column([DealerScorecardDocument.Heading(labels.LeagueTable), LeagueTable(dealers, labels)]),
        ], header, title, new Bookmark("summary", labels.Summary));

        var multiples = new List<Element>
        {
            new Column([
                DealerScorecardDocument.Heading(labels.TrendsByDealer),
                DealerScorecardDocument.Legend((labels.ThisDealer, Charts.PrimaryColor, false), (labels.RegionAverage, Charts.ReferenceColor, true)),
            ], 2),
        };
        foreach (var row in dealers.Chunk(MultiplesPerRow))
        {
            var cells = row.Select(d => (Element)new Link(new Box(new Column([
                new Text($"{d.Dealer.Name}", new TextStyle(7.5f, Bold: true, Color: 0xFF101828), maxLines: 1),
                new Text($"{d.Dealer.Code} · {labels.Nps} {(d.Kpis.Nps.Suppressed || d.Kpis.Nps.Value is null ? labels.InsufficientData : Format.Number(d.Kpis.Nps.Value.Value, 0))}",
                    new TextStyle(6.5f, Color: Format.Neutral), maxLines: 1),
                new Chart(Charts.Trend(d.NpsTrend, chartFont, small: true), 74),
            ], 1), padding: 5, border: 0xFFE4E7EC, radius: 3), DealerScorecardDocument.Destination(d.Dealer))).ToList();
            while (cells.Count < MultiplesPerRow) cells.Add(new Spacer(0));
            multiples.Add(new Row(8, cells));
        }
        var sections = new List<Section> { summary, new(multiples, header, title, new Bookmark("trends", labels.TrendsByDealer)) };
        sections.AddRange(dealers.Select(d => DealerScorecardDocument.Build(d, labels, chartFont, bookmark: true)));

        return new Document($"{report.Brand} {report.Region} {labels.RegionReport} {report.Period.Label}", report.Brand,
            ReportRenderer.DocumentDate(report.Period), sections,
            $"{report.Brand} · {labels.RegionReport} · {report.Region} · {report.Period.Label} · {labels.Confidential}",
            labels.Page, labels.Locale);
    }

    private static Table LeagueTable(IReadOnlyList<DealerScorecard> dealers, ReportLabels labels)
    {
        var columns = new[]
        {
            new TableColumn(labels.RankColumn, 0.5f, Align.Right), new TableColumn(labels.Movement, 0.65f, Align.Center),
            new TableColumn(labels.Code, 0.8f), new TableColumn(labels.Dealer, 3f),
            new TableColumn(labels.ExperienceIndex, 1.6f, Align.Right), new TableColumn(labels.Nps, 0.7f, Align.Right),
            new TableColumn(labels.Csat, 0.8f, Align.Right), new TableColumn(labels.Responses, 1.05f, Align.Right),
            new TableColumn(labels.ResponseRate, 1.2f, Align.Right),
        };
        var rows = dealers.Select(d =>
        {
            var (move, color) = Format.Movement(d.RegionRank, labels);
            var k = d.Kpis;
            return new TableRow(
                [d.RegionRank.Position <= 0 ? "–" : (d.RegionRank.Tied ? "=" : "") + d.RegionRank.Position, move, d.Dealer.Code, d.Dealer.Name,
                    Value(k.ExperienceIndex, v => Format.Number(v), labels.InsufficientData), Value(k.Nps, v => Format.Number(v, 0)), Value(k.Csat, v => Format.Percent(v)),
                    Value(k.Responses, v => Format.Integer(v)), Value(k.ResponseRate, v => Format.Percent(v))],
                [null, color, null, null, Suppressed(k.ExperienceIndex), Suppressed(k.Nps), Suppressed(k.Csat), null, Suppressed(k.ResponseRate)],
                DealerScorecardDocument.Destination(d.Dealer));
        }).ToList();
        return new Table(columns, rows, new TextStyle(8));

        // the index column says why a row has no figures; the narrow columns show a dash
        static string Value(Kpi kpi, Func<double, string> format, string suppressed = "–") => kpi.Suppressed || kpi.Value is null ? suppressed : format(kpi.Value.Value);
        static uint? Suppressed(Kpi kpi) => kpi.Suppressed || kpi.Value is null ? Format.Grey : null;
    }
}
