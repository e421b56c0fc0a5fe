using Survey.Api.Reports;
using UglyToad.PdfPig;

namespace Survey.Tests.Reports;

public class DealerScorecardTests
{
    private static readonly ReportRenderer Renderer = new(TestFonts.Set);

    /// <summary>A dealer with known figures: a Chinese name, a tied rank, masked comments and an overdue case.</summary>
    public static DealerScorecard Known(bool suppressed = false) => new(
        "Aurora Motors 极光汽车",
        new DealerRef("SH-017", "上海浦东长安汽车4S店"),
        "华东一区 East 1",
        SampleReports.March2026,
        new KpiSet(
            suppressed ? Kpi.Insufficient(14) : new Kpi(78.4, 2.3, Sample: 212),
            suppressed ? Kpi.Insufficient(14) : new Kpi(41.5, -3.2, MarginOfError: 6.1, Sample: 212),
            new Kpi(86.4, 1.1), suppressed ? Kpi.Insufficient(14) : new Kpi(5.83, 0.12), new Kpi(212, 18), new Kpi(27.3, -0.8), new Kpi(93, 4)),
        SampleReports.Periods(SampleReports.March2026).Select((p, i) => new TrendPoint(p, 30 + i, 35)).ToList(),
        new NpsSplit(121, 61, 30),
        [new DriverGap("等待时间", 61.2, 72.5), new DriverGap("Advisor courtesy", 88.1, 80.0)],
        new Rank(3, 48, Tied: true, Previous: 5),
        new Rank(120, 1000),
        [
            new Verbatim(new DateOnly(2026, 3, 20), 10, "服务顾问态度很好，交车准时。", false),
            new Verbatim(new DateOnly(2026, 3, 18), 2, "等了三个小时，顾问王**（电话 138****5678）没有回复。", true),
            new Verbatim(new DateOnly(2026, 3, 25), 9, "Friendly advisor, call me on 139****0001.", false),
        ],
        new CaseSummary(2, 1, [
            new CaseItem("C-2026-0141", "客户投诉等待时间过长", new DateOnly(2026, 3, 18), new DateOnly(2026, 3, 21), Overdue: true),
            new CaseItem("C-2026-0150", "Price higher than quoted", new DateOnly(2026, 3, 27), new DateOnly(2026, 4, 3), Overdue: false),
        ]));

    private static PdfText Render(DealerScorecard card, ReportLanguage language, string name)
    {
        using var stream = new MemoryStream();
        var result = Renderer.RenderDealerScorecard(card, language, stream);
        var bytes = stream.ToArray();
        TestFonts.Save(name, bytes);
        var text = new PdfText(bytes);
        text.Pages.Count.ShouldBe(result.PageCount);
        return text;
    }

    [Fact]
    public void The_English_scorecard_shows_the_dealer_its_figures_ranks_and_cases()
    {
        var pdf = Render(Known(), ReportLanguage.En, "scorecard-en.pdf");

        pdf.Pages.Count.ShouldBeInRange(1, 2);
        var all = pdf.All;
        foreach (var expected in new[]
                 {
                     "上海浦东长安汽车4S店", "SH-017", "华东一区 East 1", "2026-03", "Aurora Motors 极光汽车", "Dealer scorecard",
                     "Experience index", "78.4", "▲ 2.3", "NPS", "42", "±6.1", "▼ 3", "86.4%", "5.83", "212", "27.3%", "93%",
                     "Rank in region", "=3 / 48 (tied)", "▲ 2 vs previous period", "National rank", "120 / 1000",
                     "Promoters", "121", "61", "30", "等待时间", "Advisor courtesy", "-11.3", "+8.1",
                     "Cases: 2 open · 1 overdue", "C-2026-0141", "客户投诉等待时间过长", "Overdue", "2026-03-21",
                 })
            all.ShouldContain(expected);
        all.ShouldNotContain("insufficient data");
        for (var i = 0; i < pdf.Pages.Count; i++) pdf.Pages[i].ShouldContain($"Page {i + 1} / {pdf.Pages.Count}");
    }

    [Fact]
    public void The_Chinese_scorecard_uses_Chinese_labels_around_the_same_figures()
    {
        var pdf = Render(Known(), ReportLanguage.ZhCn, "scorecard-zh.pdf");

        foreach (var expected in new[] { "经销商计分卡", "体验指数", "净推荐值", "满意度", "区域排名", "=3 / 48 (并列)", "全国排名", "120 / 1000", "上海浦东长安汽车4S店", "78.4", "±6.1", "逾期", "工单: 2 未结 · 1 逾期" })
            pdf.All.ShouldContain(expected);
        pdf.All.ShouldNotContain("Experience index");
        pdf.Pages[0].ShouldContain($"第 1 / {pdf.Pages.Count} 页");
    }

    [Theory]
    [InlineData(ReportLanguage.En, "insufficient data")]
    [InlineData(ReportLanguage.ZhCn, "数据不足")]
    public void Suppressed_figures_read_insufficient_data_and_show_neither_value_nor_change(ReportLanguage language, string label)
    {
        var card = Known(suppressed: true) with
        {
            Kpis = Known(suppressed: true).Kpis with
            {
                Nps = new Kpi(41.5, -3.2, Suppressed: true, MarginOfError: 6.1, Sample: 14),
                Ces = new Kpi(5.83, 0.12, Suppressed: true),
            },
        };
        var pdf = Render(card, language, $"scorecard-suppressed-{language}.pdf");

        pdf.Count(label).ShouldBe(3); // index, NPS and CES tiles
        pdf.All.ShouldNotContain("41.5");
        pdf.All.ShouldNotContain("±6.1");
        pdf.All.ShouldNotContain("5.83");
        pdf.All.ShouldContain("86.4%"); // CSAT is not suppressed
    }

    [Fact]
    public void Comments_are_printed_as_masked_negative_first_and_the_unmasked_personal_data_never_appears()
    {
        var pdf = Render(Known(), ReportLanguage.En, "scorecard-verbatims.pdf");
        var all = pdf.All;

        all.ShouldContain("王**");
        all.ShouldContain("138****5678");
        all.ShouldContain("139****0001");
        foreach (var secret in new[] { "王小明", "13812345678", "13900000001", "5678）没有" + "x" })
            all.ShouldNotContain(secret);
        var negative = all.IndexOf("等了三个小时", StringComparison.Ordinal);
        negative.ShouldBeGreaterThan(0);
        negative.ShouldBeLessThan(all.IndexOf("Friendly advisor", StringComparison.Ordinal));
        negative.ShouldBeLessThan(all.IndexOf("服务顾问态度很好", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_model_gives_the_same_text_and_the_dates_of_the_period()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        Renderer.RenderDealerScorecard(Known(), ReportLanguage.En, first);
        Renderer.RenderDealerScorecard(Known(), ReportLanguage.En, second);

        new PdfText(first.ToArray()).Pages.ShouldBe(new PdfText(second.ToArray()).Pages);
        using var pdf = PdfDocument.Open(first.ToArray());
        pdf.Information.CreationDate.ShouldStartWith("D:20260331");
        pdf.Information.ModifiedDate.ShouldStartWith("D:20260331");
        pdf.Information.Title.ShouldBe("Aurora Motors 极光汽车 上海浦东长安汽车4S店 Dealer scorecard 2026-03");
    }
}
