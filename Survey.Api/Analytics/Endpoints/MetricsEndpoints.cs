using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Analytics.Querying;

namespace Survey.Api.Analytics.Endpoints;

public sealed record MetricsResult(Slice Slice, PeriodView Period, int IndexVersion, SliceFigures Figures, PeriodView PreviousPeriod, Figure<ChangeView> NpsChange);
public sealed record TrendRow(PeriodView Period, SliceFigures Figures);
public sealed record TrendResult(Slice Slice, int IndexVersion, IReadOnlyList<TrendRow> Periods);

public static class MetricsEndpoints
{
    private const string SliceHelp = " Slice with region, dealer, touchpoint, trigger, channel, questionnaire and attr.{name}={value}; period=week|month|quarter|year and date=yyyy-MM-dd (any day inside it, in the tenant's time zone).";

    public static RouteGroupBuilder MapMetrics(this RouteGroupBuilder group)
    {
        group.MapGet("/metrics", Metrics).WithName("GetMetrics")
            .WithSummary("NPS, CSAT, CES, per-question distributions, response and completion rates and the experience index of a slice and period, with the NPS change since the previous period")
            .WithDescription("Figures from answers are withheld below the tenant's minimum sample and never shown below 5 responses." + SliceHelp);
        group.MapGet("/trend", Trend).WithName("GetTrend")
            .WithSummary("The same figures for the last N periods (periods=1..36, default 6), oldest first").WithDescription(SliceHelp);
        return group;
    }

    private static async Task<Ok<MetricsResult>> Metrics(HttpRequest request, AnalyticsContext context, CancellationToken ct)
    {
        var slice = Slice.From(request);
        var (period, calendar) = await context.Period(request, ct);
        var definition = (await context.Settings(ct)).CurrentIndex;
        var current = await Load(context, slice, period, calendar, ct);
        var previous = await Load(context, slice, period.Previous(), calendar, ct);
        return TypedResults.Ok(new MetricsResult(slice, PeriodView.Of(period, calendar), definition.Version, SliceFigures.Compute(current, definition),
            PeriodView.Of(period.Previous(), calendar), SliceFigures.Change(previous, current, definition)));
    }

    private static async Task<Ok<TrendResult>> Trend(HttpRequest request, AnalyticsContext context, CancellationToken ct)
    {
        var slice = Slice.From(request);
        var count = PeriodQuery.Count(request, "periods", 6, 36);
        var (period, calendar) = await context.Period(request, ct);
        var definition = (await context.Settings(ct)).CurrentIndex;
        var rows = new List<TrendRow>();
        for (var i = count - 1; i >= 0; i--)
        {
            var p = period.Shift(-i);
            rows.Add(new TrendRow(PeriodView.Of(p, calendar), SliceFigures.Compute(await Load(context, slice, p, calendar, ct), definition)));
        }
        return TypedResults.Ok(new TrendResult(slice, definition.Version, rows));
    }

    private static async Task<SliceData> Load(AnalyticsContext context, Slice slice, Domain.Analytics.Periods.Period period, Domain.Analytics.Periods.PeriodCalendar calendar, CancellationToken ct)
    {
        var (from, until) = calendar.Bounds(period);
        return (await context.Sql.Load(context.Scope, slice, from, until, GroupBy.None, ct)).GetValueOrDefault("") ?? new SliceData();
    }
}
