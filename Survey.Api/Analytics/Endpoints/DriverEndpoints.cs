using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Analytics.Querying;
using Survey.Domain.Analytics.Drivers;
using Survey.Domain.Analytics.Metrics;

namespace Survey.Api.Analytics.Endpoints;

public sealed record DriverRow(string Key, int Answers, double Correlation, double Importance, double? RSquaredContribution, Figure<double?> Performance, string? Quadrant);
public sealed record DriverReport(Slice Slice, PeriodView Period, int Respondents, string Method, string Note, double? RSquared, IReadOnlyList<DriverRow> Drivers);

public static class DriverEndpoints
{
    /// <summary>Respondent rows read for a regression; the newest are kept when a slice has more.</summary>
    public const int MaxRespondents = 50_000;

    public static RouteGroupBuilder MapDrivers(this RouteGroupBuilder group)
    {
        group.MapGet("/drivers", Drivers).WithName("GetDriverAnalysis")
            .WithSummary("For each attribute (rating) question: its importance to NPS (Shapley decomposition of R² when the sample allows, squared correlations otherwise), its performance (0-100) and the priority quadrant")
            .WithDescription("Same slice and period parameters as /metrics. Below the tenant's minimum sample the analysis is withheld (409 insufficient-sample).");
        return group;
    }

    private static async Task<Ok<DriverReport>> Drivers(HttpRequest request, AnalyticsContext context, CancellationToken ct)
    {
        var slice = Slice.From(request);
        var (period, calendar) = await context.Period(request, ct);
        var definition = (await context.Settings(ct)).CurrentIndex;
        var (from, until) = calendar.Bounds(period);
        var data = (await context.Sql.Load(context.Scope, slice, from, until, GroupBy.None, ct)).GetValueOrDefault("") ?? new SliceData();
        if (definition.SampleRules.Check(data.Responses) is { } why)
            throw new Domain.Common.RuleViolationException(why.Code, why.Detail);

        var attributes = data.Keys.Where(k => k.Value.Type == "rating").OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new DriverAttribute(k.Key, k.Value.Distribution.Scale)).ToList();
        var rows = await context.Sql.Respondents(context.Scope, slice, from, until, MaxRespondents, ct);
        var respondents = rows.Select(r => new DriverRespondent(r.Nps,
            r.Scores.Where(s => attributes.Any(a => a.Key == s.Key && a.Scale.Contains(s.Value))).ToDictionary())).ToList();
        var result = DriverAnalysis.Analyse(attributes, respondents);
        return TypedResults.Ok(new DriverReport(slice, PeriodView.Of(period, calendar), respondents.Count, result.Method.ToString(), result.MethodNote, result.RSquared,
            result.Drivers.Select(d => new DriverRow(d.Key, d.Answers, d.Correlation, d.Importance, d.RSquaredContribution,
                Figure<double?>.Of(d.Performance.Map(v => (double?)v)), d.QuadrantLabel)).ToList()));
    }
}
