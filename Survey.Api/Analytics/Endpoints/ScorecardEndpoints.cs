using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Analytics.Querying;
using Survey.Api.Analytics.Scorecards;

namespace Survey.Api.Analytics.Endpoints;

public sealed record LeagueRow(int? Rank, int? OutOf, string Code, string? RegionCode, int Responses, Figure<double?> Index, Figure<double?> Nps);
public sealed record LeagueTable(PeriodView Period, int IndexVersion, IReadOnlyList<LeagueRow> Regions, IReadOnlyList<LeagueRow> Dealers);

public static class ScorecardEndpoints
{
    public static RouteGroupBuilder MapScorecards(this RouteGroupBuilder group)
    {
        group.MapGet("/dealers/{code}/scorecard", Scorecard).WithName("GetDealerScorecard")
            .WithSummary("A dealer's scorecard for a period: index, NPS split, response rate, rank in region and nationally (ties share a place), trend (trend=1..24, default 6), NPS change, driver gaps to its region, latest verbatims (detractors first), cases")
            .WithDescription("period=week|month|quarter|year, date=yyyy-MM-dd. A dealer outside the caller's scope answers 404. The cases section reads 'no case data' until the cases feature is plugged in.");
        group.MapGet("/scorecards", Scorecards).WithName("ListDealerScorecards")
            .WithSummary("Every visible dealer's scorecard for a period, optionally of one region (region=)");
        group.MapGet("/league", League).WithName("GetLeagueTable")
            .WithSummary("Regions and dealers ranked by experience index for a period (standard competition ranking: ties share a place); region= limits the dealers listed");
        return group;
    }

    private static async Task<Ok<DealerScorecard>> Scorecard(string code, HttpRequest request, AnalyticsContext context, ScorecardBuilder builder, CancellationToken ct)
    {
        var dealer = await context.VisibleDealer(code, ct);
        var (period, calendar) = await context.Period(request, ct);
        var trend = PeriodQuery.Count(request, "trend", 6, 24);
        var all = await context.Dealers(ct);
        return TypedResults.Ok((await builder.Build([dealer], all, period, calendar, trend, 5, ct)).Single());
    }

    private static async Task<Ok<IReadOnlyList<DealerScorecard>>> Scorecards(string? region, HttpRequest request, AnalyticsContext context, ScorecardBuilder builder, CancellationToken ct)
    {
        var (period, calendar) = await context.Period(request, ct);
        var trend = PeriodQuery.Count(request, "trend", 6, 24);
        var all = await context.Dealers(ct);
        var visible = all.Values.Where(d => context.Scope.Sees(d.Code, d.RegionCode) && (region is null || d.RegionCode == region))
            .OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        return TypedResults.Ok(await builder.Build(visible, all, period, calendar, trend, 5, ct));
    }

    private static async Task<Ok<LeagueTable>> League(string? region, HttpRequest request, AnalyticsContext context, CancellationToken ct)
    {
        var (period, calendar) = await context.Period(request, ct);
        var definition = (await context.Settings(ct)).CurrentIndex;
        var (from, until) = calendar.Bounds(period);
        var all = await context.Dealers(ct);
        // a league row shows responses, index and NPS: the month's answers to NPS and the index's components per dealer, no rates (two
        // scans of the starts and the invitations) and no other keyed questions; regions are sums of their dealers
        var indexKeys = definition.Components.Where(c => c.Kind == Domain.Analytics.Index.IndexComponentKind.Attribute && c.Key is not null).Select(c => c.Key!).ToList();
        var data = (await context.Sql.Load(Scoping.AnalyticsScope.WholeTenant(context.Scope.TenantId), new Slice(), [(from, until)], GroupBy.Dealer, null, ct, indexKeys))[0];
        SliceData Of(string dealer) => data.GetValueOrDefault(dealer) ?? new SliceData();

        var regionData = all.Values.GroupBy(d => d.RegionCode).ToDictionary(g => g.Key, g => SliceData.Sum(g.Select(d => Of(d.Code))));
        var regionRanks = Domain.Analytics.Periods.Ranking.Rank(regionData.Select(r => new Domain.Analytics.Periods.RankEntry(r.Key, "", SliceFigures.IndexValue(r.Value, definition))));
        var regions = regionRanks.Where(r => context.Scope.Kind == Scoping.ScopeKind.Tenant || context.Scope.Regions.Contains(r.DealerCode))
            .Select(r => Row(r.DealerCode, null, r.National, regionData[r.DealerCode], definition)).ToList();

        var dealerRanks = Domain.Analytics.Periods.Ranking.Rank(all.Values.Select(d => new Domain.Analytics.Periods.RankEntry(d.Code, d.RegionCode, SliceFigures.IndexValue(Of(d.Code), definition))));
        var dealers = dealerRanks.Where(r => context.Scope.Sees(r.DealerCode, r.RegionCode) && (region is null || r.RegionCode == region))
            .Select(r => Row(r.DealerCode, r.RegionCode, region is null ? r.National : r.InRegion, Of(r.DealerCode), definition)).ToList();
        return TypedResults.Ok(new LeagueTable(PeriodView.Of(period, calendar), definition.Version, regions, dealers));
    }

    private static LeagueRow Row(string code, string? region, Domain.Analytics.Periods.Rank? rank, SliceData data, Domain.Analytics.Index.ExperienceIndexDefinition definition)
    {
        var (index, nps) = SliceFigures.Headline(data, definition);
        return new LeagueRow(rank?.Position, rank?.OutOf, code, region, data.Responses, index, nps);
    }
}
