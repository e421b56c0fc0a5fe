using Survey.Api.Reports.Data;
using Survey.Api.Security;
using Survey.Domain.Analytics.Periods;

namespace Survey.Api.Reports.Downloading;

/// <summary>
/// PDFs on demand, as the caller may see them (<see cref="OrgScopes"/>): a dealer user gets only its own dealer's scorecard, a
/// regional manager only its regions, tenant-wide roles everything; analysts get no comments. Outside the scope: 404.
/// </summary>
public static class ReportDownloadsApi
{
    public static RouteGroupBuilder MapReportDownloads(this RouteGroupBuilder group)
    {
        group.MapGet("/dealers/{dealerId}/scorecard.pdf", DealerScorecard).WithName("DownloadDealerScorecard")
            .WithSummary("A dealer's scorecard as PDF: period=2026-10 (month), 2026-Q4 or 2026 (default: the month before this one), lang=en|zh-CN")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        group.MapGet("/regions/{regionId}/report.pdf", RegionReport).WithName("DownloadRegionReport")
            .WithSummary("A region report as PDF (summary, league table, trends, every dealer's scorecard): period=..., lang=en|zh-CN")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return group;
    }

    private static async Task<IResult> DealerScorecard(string dealerId, string? period, string? lang, HttpContext http, ReportDataSource data, ReportRenderer renderer, CancellationToken ct)
    {
        var (p, language) = await Read(http, period, lang, data, ct);
        var card = await data.Dealer(http.User, dealerId, p, language, ct);
        return Pdf(stream => renderer.RenderDealerScorecard(card, language, stream), $"scorecard-{dealerId}-{p.Label}.pdf");
    }

    private static async Task<IResult> RegionReport(string regionId, string? period, string? lang, HttpContext http, ReportDataSource data, ReportRenderer renderer, CancellationToken ct)
    {
        var (p, language) = await Read(http, period, lang, data, ct);
        var report = await data.Region(http.User, regionId, p, language, ct);
        return Pdf(stream => renderer.RenderRegionReport(report, language, stream), $"region-{regionId}-{p.Label}.pdf");
    }

    private static async Task<(Period, ReportLanguage)> Read(HttpContext http, string? period, string? lang, ReportDataSource data, CancellationToken ct)
    {
        var problems = new List<Domain.Common.InputProblem>();
        if (lang is not (null or "" or "en" or "zh-CN" or "zh")) problems.Add(new("lang", "unknown-language", "lang is en or zh-CN."));
        Period? p = null;
        if (string.IsNullOrEmpty(period))
        {
            var calendar = await data.Calendar(OrgScopes.For(http.User).Tenant, ct);
            p = calendar.PeriodOf(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), PeriodKind.Month).Previous();
        }
        else
        {
            try { p = ReportPeriods.Parse(period); }
            catch (Domain.Common.InvalidInputException e) { problems.AddRange(e.Problems); }
        }
        Domain.Common.InvalidInputException.ThrowIfAny(problems);
        return (p!, ReportRenderer.ParseLanguage(lang));
    }

    private static IResult Pdf(Action<Stream> render, string fileName)
    {
        var stream = new MemoryStream();
        render(stream);
        stream.Position = 0;
        return TypedResults.File(stream, "application/pdf", fileName);
    }
}
