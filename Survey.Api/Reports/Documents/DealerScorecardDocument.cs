using SkiaSharp;
using Survey.Api.Reports.Layout;

namespace Survey.Api.Reports.Documents;

/// <summary>One dealer's scorecard as a section: title, key figures, trend, NPS split, drivers, comments and cases.</summary>
internal static class DealerScorecardDocument
{
    public static string Destination(DealerRef dealer) =>
        "dealer-" + new string(dealer.Code.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());

    public static Section Build(DealerScorecard card, ReportLabels labels, string chartFont, bool bookmark)
    {
        var content = new List<Element>
        {
            new Row(12,
                (new Column([
                    new Text(card.Dealer.Name, new TextStyle(17, Bold: true, Color: 0xFF101828, LineHeight: 1.25f)),
                    new Text($"{card.Dealer.Code} · {card.Region} · {card.Period.Label}", new TextStyle(9, Color: Format.Neutral)),
                ]), 3f),
                (RankBox(card, labels), 1.3f)),
            KpiGrid(card.Kpis, labels, card.RegionRank, card.NationalRank),
            new Row(14,
                (new Column([Heading(labels.NpsTrend), Legend((labels.ThisDealer, Charts.PrimaryColor, false), (labels.RegionAverage, Charts.ReferenceColor, true)),
                    new Chart(Charts.Trend(card.NpsTrend, chartFont), 140)], 4), 3f),
                (new Column([Heading(labels.NpsSplit), SplitBar(card.Split, labels)], 4), 2f)),
        };

        if (card.Drivers.Count > 0)
        {
            var drivers = card.Drivers.OrderBy(d => d.Gap).ThenBy(d => d.Driver, StringComparer.Ordinal).ToList();
            content.Add(new Column([
                Heading(labels.DriverGaps),
                new Row(14,
                    (new Chart(Charts.DriverGaps(drivers, chartFont, 92), 22 + 15 * drivers.Count), 3f),
                    (new Table([new TableColumn(labels.Driver, 2.2f), new TableColumn(labels.Dealer, 1, Align.Right), new TableColumn(labels.Region, 1, Align.Right), new TableColumn(labels.Gap, 1, Align.Right)],
                        drivers.Select(d => new TableRow(
                            [d.Driver, Format.Number(d.Dealer), Format.Number(d.Region), (d.Gap > 0 ? "+" : "") + Format.Number(d.Gap)],
                            [null, null, null, d.Gap >= 0 ? Format.Good : Format.Bad])).ToList()), 2f)),
            ], 4));
        }

        var verbatims = card.Verbatims.OrderByDescending(v => v.Negative).ThenByDescending(v => v.Date).ThenBy(v => v.Text, StringComparer.Ordinal).ToList();
        content.Add(new Column([Heading(labels.Verbatims), verbatims.Count == 0
            ? new Text(labels.NoVerbatims, new TextStyle(8.5f, Color: Format.Neutral))
            : new Table([new TableColumn(labels.Date, 1.1f), new TableColumn(labels.Score, 0.6f, Align.Right), new TableColumn(labels.Comment, 7)],
                verbatims.Select(v => new TableRow([Format.Date(v.Date), v.Score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", v.Text],
                    [null, v.Negative ? Format.Bad : Format.Good, null])).ToList())]));

        content.Add(new Column([Heading($"{labels.Cases}: {card.Cases.Open} {labels.OpenCases} · {card.Cases.Overdue} {labels.OverdueCases}"), card.Cases.Items.Count == 0
            ? new Text(labels.NoCases, new TextStyle(8.5f, Color: Format.Neutral))
            : new Table([new TableColumn(labels.Reference, 1.3f), new TableColumn(labels.Subject, 4.5f), new TableColumn(labels.Opened, 1.3f), new TableColumn(labels.Due, 1.3f), new TableColumn(labels.Status, 1)],
                card.Cases.Items.OrderByDescending(c => c.Overdue).ThenBy(c => c.DueOn).ThenBy(c => c.Reference, StringComparer.Ordinal)
                    .Select(c => new TableRow([c.Reference, c.Subject, Format.Date(c.OpenedOn), Format.Date(c.DueOn), c.Overdue ? labels.Overdue : labels.Open],
                        [null, null, null, c.Overdue ? Format.Bad : null, c.Overdue ? Format.Bad : Format.Neutral])).ToList())]));

        return new Section(content,
            $"{card.Brand} · {card.Region} · {card.Dealer.Name}",
            $"{labels.DealerScorecard} · {card.Period.Label}",
            bookmark ? new Bookmark(Destination(card.Dealer), $"{card.Dealer.Code} {card.Dealer.Name}", 1) : null);
    }

    public static Element Heading(string text) => new KeepWithNext(new Text(text, new TextStyle(10, Bold: true, Color: 0xFF101828, LineHeight: 1.6f)));

    /// <summary>Eight tiles in two rows: the seven key figures and the rank.</summary>
    public static Element KpiGrid(KpiSet kpis, ReportLabels labels, Rank? regionRank, Rank? nationalRank)
    {
        var tiles = Tiles(kpis, labels).ToList();
        if (nationalRank is { } rank)
        {
            var (move, color) = Format.Movement(rank, labels);
            tiles.Add(new KpiTile(labels.NationalRank, Format.Rank(rank), rank.Tied ? labels.Tied : null, move, color));
        }
        var rows = tiles.Chunk(4).Select(chunk => (Element)new Row(8, chunk.Select(t => t.ToElement()))).ToList();
        return new Column(rows, 8);
    }

    private static IEnumerable<KpiTile> Tiles(KpiSet k, ReportLabels l)
    {
        var suppressed = l.InsufficientData;
        yield return Tile(l.ExperienceIndex, k.ExperienceIndex, v => Format.Number(v), Sample(k.ExperienceIndex, l), 1, "");
        yield return Tile(l.Nps, k.Nps, v => Format.Number(v, 0),
            (k.Nps.MarginOfError is { } moe ? "±" + Format.Number(moe) : "") + (k.Nps.Sample is { } s ? (k.Nps.MarginOfError is null ? "" : " · ") + $"{l.Sample}={s}" : ""), 0, "");
        yield return Tile(l.Csat, k.Csat, v => Format.Percent(v), l.Top2Box, 1, Unit(l));
        yield return Tile(l.Ces, k.Ces, v => Format.Number(v, 2), l.Scale17, 2, "");
        yield return Tile(l.Responses, k.Responses, v => Format.Integer(v), null, 0, "");
        yield return Tile(l.ResponseRate, k.ResponseRate, v => Format.Percent(v), null, 1, Unit(l));
        yield return Tile(l.CaseSlaMet, k.CaseSlaMet, v => Format.Percent(v, 0), null, 0, Unit(l));

        KpiTile Tile(string label, Kpi kpi, Func<double, string> value, string? detail, int decimals, string unit)
        {
            var (change, color) = Format.Change(kpi.Change, decimals, unit);
            return new KpiTile(label, kpi.Value is { } v ? value(v) : "–", detail, change, color,
                kpi.Suppressed || kpi.Value is null, suppressed);
        }
    }

    private static string Unit(ReportLabels labels) => labels.Points.Length == 0 ? "" : " " + labels.Points;

    private static string? Sample(Kpi kpi, ReportLabels labels) =>
        (kpi.MarginOfError is { } moe ? "±" + Format.Number(moe) + " · " : "") + (kpi.Sample is { } s ? $"{labels.Sample}={s}" : "");

    private static Element RankBox(DealerScorecard card, ReportLabels labels) =>
        new Box(new Column([
            new Text(labels.RankInRegion, new TextStyle(7.5f, Color: Format.Neutral, Align: Align.Right)),
            new Text(Format.Rank(card.RegionRank) + (card.RegionRank.Tied ? $" ({labels.Tied})" : ""), new TextStyle(13, Bold: true, Color: Format.Blue, Align: Align.Right)),
            new Text(Movement(card.RegionRank, labels), new TextStyle(7.5f, Color: Format.Movement(card.RegionRank, labels).Color, Align: Align.Right)),
        ]), padding: 6, background: 0xFFF5F8FF, radius: 4);

    private static string Movement(Rank rank, ReportLabels labels) =>
        rank.Previous is null ? labels.New : Format.Movement(rank, labels).Text + " " + labels.VsPreviousPeriod;

    /// <summary>The chart's legend as text under its heading: a line sample and a label per series.</summary>
    public static Element Legend(params (string Label, uint Color, bool Dashed)[] series) =>
        new Row(10, series.Select(s => ((Element)new Row(4,
            (new Layout.Canvas(10, (context, area) =>
            {
                using var paint = new SKPaint { Color = new SKColor(s.Color), StrokeWidth = 1.5f, IsAntialias = true,
                    PathEffect = s.Dashed ? SKPathEffect.CreateDash([3, 2], 0) : null };
                var y = area.Top + 5.5f;
                context.Canvas.DrawLine(area.Left, y, area.Right, y, paint);
            }), 1f),
            (new Text(s.Label, new TextStyle(7.5f, Color: 0xFF475467), maxLines: 1), 5f)), 1f)).Concat([((Element)new Spacer(0), 1.5f)]).ToArray());

    /// <summary>Promoters, passives and detractors as one bar with their counts and shares underneath.</summary>
    private static Element SplitBar(NpsSplit split, ReportLabels labels)
    {
        var parts = new (string Label, int Count, uint Color)[]
        {
            (labels.Promoters, split.Promoters, 0xFF12B76A), (labels.Passives, split.Passives, 0xFFD0D5DD), (labels.Detractors, split.Detractors, 0xFFF04438),
        };
        var bar = new Layout.Canvas(22, (context, area) =>
        {
            var x = area.Left;
            using var paint = new SKPaint { IsAntialias = true };
            if (split.Total == 0)
            {
                paint.Color = new SKColor(0xFFF2F4F7);
                context.Canvas.DrawRoundRect(area, 3, 3, paint);
                return;
            }
            foreach (var (_, count, color) in parts)
            {
                var w = area.Width * count / split.Total;
                paint.Color = new SKColor(color);
                context.Canvas.DrawRect(new SKRect(x, area.Top, x + w, area.Bottom), paint);
                x += w;
            }
        });
        var legend = parts.Select(p => (Element)new Column([
            new Layout.Canvas(4, (context, area) =>
            {
                using var paint = new SKPaint { Color = new SKColor(p.Color), IsAntialias = true };
                context.Canvas.DrawRoundRect(new SKRect(area.Left, area.Top, area.Left + 14, area.Bottom), 1, 1, paint);
            }),
            new Text(p.Label, new TextStyle(7.5f, Color: Format.Neutral)),
            new Text(Format.Integer(p.Count), new TextStyle(12, Bold: true, Color: 0xFF101828)),
            new Text(split.Total == 0 ? "–" : Format.Percent(100.0 * p.Count / split.Total, 0), new TextStyle(7.5f, Color: Format.Neutral)),
        ], 1)).ToList();
        return new Column([new Spacer(6), bar, new Spacer(8), new Row(6, legend)], 0);
    }
}
