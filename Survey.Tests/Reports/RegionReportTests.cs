using Survey.Api.Reports;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;

namespace Survey.Tests.Reports;

public class RegionReportTests
{
    private static readonly ReportRenderer Renderer = new(TestFonts.Set);
    private static readonly RegionReport Region = SampleReports.Company(dealers: 45, regions: 1)[0];

    private static (PdfText Text, byte[] Bytes, Survey.Api.Reports.Layout.PdfResult Result) Render(RegionReport report, ReportLanguage language, string name)
    {
        using var stream = new MemoryStream();
        var result = Renderer.RenderRegionReport(report, language, stream);
        var bytes = stream.ToArray();
        TestFonts.Save(name, bytes);
        return (new PdfText(bytes), bytes, result);
    }

    [Fact]
    public void The_league_table_lists_every_dealer_by_index_and_repeats_its_header_on_each_page_it_spans()
    {
        var (pdf, _, result) = Render(Region, ReportLanguage.En, "region-en.pdf");
        var trendsPage = result.Bookmarks.Single(b => b.Bookmark.Destination == "trends").Page;
        trendsPage.ShouldBeGreaterThan(2); // 45 dealers do not fit under the summary on one page

        var leaguePages = pdf.Lines.Take(trendsPage - 1).ToList();
        foreach (var lines in leaguePages)
            lines.Count(l => l.StartsWith("# Move Code Dealer", StringComparison.Ordinal)).ShouldBe(1);
        var codesInTable = leaguePages.SelectMany(lines => lines)
            .Select(l => l.Split(' ')).Where(w => w.Length > 3 && w.Any(x => x.StartsWith('D') && x.Length == 5 && x[1..].All(char.IsAsciiDigit)))
            .Select(w => w.First(x => x.StartsWith('D') && x.Length == 5 && x[1..].All(char.IsAsciiDigit))).ToList();
        var expected = Region.Dealers.OrderBy(d => d.Kpis.ExperienceIndex.Value is null).ThenByDescending(d => d.Kpis.ExperienceIndex.Value ?? 0)
            .ThenBy(d => d.RegionRank.Position).ThenBy(d => d.Dealer.Code, StringComparer.Ordinal).Select(d => d.Dealer.Code).ToList();
        codesInTable.ShouldBe(expected);
        // a suppressed dealer is listed last, with "insufficient data" instead of figures
        var suppressed = Region.Dealers.Where(d => d.Kpis.ExperienceIndex.Suppressed).Select(d => d.Dealer.Code).ToList();
        suppressed.ShouldNotBeEmpty();
        codesInTable.TakeLast(suppressed.Count).ShouldBe(suppressed, ignoreOrder: true);
        foreach (var code in suppressed)
            leaguePages.SelectMany(l => l).Where(l => l.Contains(code)).ShouldContain(l => l.Contains("insufficient data"));
    }

    [Fact]
    public void Every_dealer_has_a_bookmark_to_the_page_where_its_scorecard_starts_and_the_page_count_adds_up()
    {
        var (pdf, bytes, result) = Render(Region, ReportLanguage.En, "region-en.pdf");

        using var document = PdfDocument.Open(bytes);
        document.TryGetBookmarks(out var outline).ShouldBeTrue();
        var entries = outline.GetNodes().OfType<DocumentBookmarkNode>().ToList();
        entries.Count.ShouldBe(Region.Dealers.Count + 2);
        entries[0].Title.ShouldBe("Summary");
        entries[1].Title.ShouldBe("NPS trend by dealer");
        foreach (var dealer in Region.Dealers)
        {
            var entry = entries.Single(e => e.Title == $"{dealer.Dealer.Code} {dealer.Dealer.Name}");
            var page = pdf.Pages[entry.PageNumber - 1];
            page.ShouldContain($"Aurora Motors 极光汽车 · {Region.Region} · {dealer.Dealer.Name}");
            page.ShouldContain($"{dealer.Dealer.Code} · {Region.Region} · 2026-03");
            if (entry.PageNumber > 1) pdf.Pages[entry.PageNumber - 2].ShouldNotContain($"{dealer.Dealer.Code} · {Region.Region} · 2026-03");
        }
        pdf.Pages.Count.ShouldBe(result.PageCount);
        document.NumberOfPages.ShouldBe(result.PageCount);
        pdf.Pages[^1].ShouldContain($"Page {result.PageCount} / {result.PageCount}");
        // the league table rows link to the scorecards
        document.GetPage(1).GetAnnotations().Count(a => a.Type == UglyToad.PdfPig.Annotations.AnnotationType.Link).ShouldBeGreaterThan(10);
    }

    [Fact]
    public void The_Chinese_region_report_has_Chinese_labels_names_and_figures()
    {
        var small = SampleReports.Company(dealers: 12, regions: 1, chineseDrivers: true)[0];
        var (pdf, _, result) = Render(small, ReportLanguage.ZhCn, "region-zh.pdf");

        foreach (var expected in new[] { "区域报告", "经销商排名", "各经销商净推荐值趋势", "体验指数", "驱动因素与区域对比", "等待时间", "数据不足", $"第 1 / {result.PageCount} 页" })
            pdf.All.ShouldContain(expected);
        foreach (var dealer in small.Dealers)
        {
            pdf.All.ShouldContain(dealer.Dealer.Name);
            if (!dealer.Kpis.Nps.Suppressed) pdf.All.ShouldContain(dealer.Kpis.Nps.Value!.Value.ToString("F0", System.Globalization.CultureInfo.InvariantCulture));
        }
        pdf.All.ShouldNotContain("League");
    }
}
