using Marten;
using Survey.Api.Analytics.Querying;
using Survey.Api.Analytics.Scoping;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Drivers;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Responses;

namespace Survey.Api.Analytics.Scorecards;

public sealed record RankView(int? InRegion, int? InRegionOutOf, int? National, int? NationalOutOf, string? Unranked);
public sealed record TrendPoint(string Label, DateOnly Start, int Responses, Figure<double?> Index, Figure<double?> Nps);
public sealed record GapView(string Key, Figure<double?> Dealer, Figure<double?> Region, Figure<double?> Gap);
/// <summary><see cref="Available"/> false means no case data (no cases feature plugged in), not zero cases.</summary>
public sealed record CasesView(bool Available, string? Note, DealerCaseFigures? Figures);

public sealed record DealerScorecard(
    string DealerCode, Domain.Operations.LocalizedName DealerName, string RegionCode, PeriodView Period, int Responses,
    Figure<IndexView> Index, Figure<NpsView> Nps, Figure<RateView> ResponseRate, Figure<RateView> CompletionRate, RankView Rank,
    Figure<ChangeView> NpsChange, IReadOnlyList<TrendPoint> Trend, IReadOnlyList<GapView> DriverGaps, IReadOnlyList<Verbatim> Verbatims, CasesView Cases);

/// <summary>
/// Builds scorecards for one period and any number of dealers with a fixed number of queries: one grouped by dealer for the period, one
/// for the previous period, one per trend period, one for the latest verbatims. Region figures are sums of their dealers' distributions.
/// Ranks compare each dealer with every dealer of the tenant (only positions leave that wider set, never other dealers' figures).
/// </summary>
public sealed class ScorecardBuilder(AnalyticsContext context, IScorecardCaseSource cases, Privacy.PersonalDataVault vault, Security.OrgScopes scopes)
{
    public async Task<IReadOnlyList<DealerScorecard>> Build(IReadOnlyList<DealerInfo> dealers, IReadOnlyDictionary<string, DealerInfo> allDealers,
        Period period, PeriodCalendar calendar, int trendPeriods, int verbatims, CancellationToken ct)
    {
        var definition = (await context.Settings(ct)).CurrentIndex;
        var tenant = AnalyticsScope.WholeTenant(context.Scope.TenantId);
        var periods = Enumerable.Range(0, trendPeriods).Select(i => period.Shift(i - trendPeriods + 1)).ToList();
        var byPeriod = new Dictionary<Period, Dictionary<string, SliceData>>();
        foreach (var p in periods.Append(period.Previous()).Distinct())
        {
            var (from, until) = calendar.Bounds(p);
            // rates only for the period itself; the trend and the previous period need answers only
            byPeriod[p] = await context.Sql.Load(tenant, new Slice(), from, until, GroupBy.Dealer, ct, rates: p == period);
        }
        var current = byPeriod[period];
        SliceData Data(Dictionary<string, SliceData> set, string dealer) => set.GetValueOrDefault(dealer) ?? new SliceData();

        var regions = allDealers.Values.GroupBy(d => d.RegionCode).ToDictionary(g => g.Key, g => SliceData.Sum(g.Select(d => Data(current, d.Code))));
        var ranks = Ranking.Rank(allDealers.Values.Select(d => new RankEntry(d.Code, d.RegionCode, SliceFigures.IndexValue(Data(current, d.Code), definition))))
            .ToDictionary(r => r.DealerCode);

        var (periodFrom, periodUntil) = calendar.Bounds(period);
        var latest = verbatims == 0 ? [] : await LatestVerbatims(dealers.Select(d => d.Code).ToArray(), periodFrom, periodUntil, verbatims, ct);

        var result = new List<DealerScorecard>();
        foreach (var dealer in dealers)
        {
            var data = Data(current, dealer.Code);
            var figures = SliceFigures.Compute(data, definition);
            var rank = ranks[dealer.Code];
            var trend = periods.Select(p =>
            {
                var d = Data(byPeriod[p], dealer.Code);
                var f = SliceFigures.Compute(d, definition);
                return new TrendPoint(p.Label, p.Start, d.Responses, f.Index.Value is { } i ? new Figure<double?>(i.Value) : new Figure<double?>(null, f.Index.Suppressed, f.Index.Reason),
                    f.Nps.Value is { } n ? new Figure<double?>(n.Score) : new Figure<double?>(null, f.Nps.Suppressed, f.Nps.Reason));
            }).ToList();
            var region = regions.GetValueOrDefault(dealer.RegionCode) ?? new SliceData();
            var gaps = data.Keys.Where(k => k.Value.Type == "rating").OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => DriverGaps.Gap(k.Key, k.Value.Distribution,
                    region.Keys.TryGetValue(k.Key, out var r) && r.Distribution.Scale == k.Value.Distribution.Scale ? r.Distribution : Domain.Analytics.Metrics.ScoreDistribution.Empty(k.Value.Distribution.Scale),
                    definition.SampleRules))
                .Select(g => new GapView(g.Key, Nullable(g.Dealer), Nullable(g.Region), Nullable(g.Gap)))
                .ToList();
            var caseFigures = await cases.ForDealer(context.Scope.TenantId, dealer.Code, periodFrom, periodUntil, ct);
            result.Add(new DealerScorecard(dealer.Code, dealer.Name, dealer.RegionCode, PeriodView.Of(period, calendar), data.Responses,
                figures.Index, figures.Nps, figures.ResponseRate, figures.CompletionRate,
                new RankView(rank.InRegion?.Position, rank.InRegion?.OutOf, rank.National?.Position, rank.National?.OutOf, rank.Unranked?.Code),
                SliceFigures.Change(Data(byPeriod[period.Previous()], dealer.Code), data, definition), trend, gaps,
                // verbatims follow the same anonymity rule as the scores: none below the floor
                definition.SampleRules.Check(data.Responses) is null ? latest.GetValueOrDefault(dealer.Code) ?? [] : [],
                caseFigures is null ? new CasesView(false, "no case data", null) : new CasesView(true, null, caseFigures)));
        }
        return result;
    }

    private static Figure<double?> Nullable(Reported<double> r) => Figure<double?>.Of(r.Map(v => (double?)v));

    private async Task<Dictionary<string, List<Verbatim>>> LatestVerbatims(string[] dealers, DateTimeOffset from, DateTimeOffset until, int perDealer, CancellationToken ct)
    {
        // verbatims are personal data (free text): not for analysts; sealed per data subject, opened here (erased ones show as erased)
        if (!scopes.Current.PersonalData) return [];
        var rows = await context.Sql.LatestResponses(context.Scope, dealers, from, until, perDealer, ct);
        if (rows.Count == 0) return [];
        var loaded = (await context.Session.LoadManyAsync<Response>(ct, rows.Select(r => r.Id).ToArray())).ToList();
        var responses = (await vault.Open(context.Session, loaded, ct)).ToDictionary(r => r.Id);
        var result = new Dictionary<string, List<Verbatim>>();
        foreach (var row in rows)
        {
            if (!responses.TryGetValue(row.Id, out var response)) continue;
            var definition = (await PublicSources.Version(context.Session, response.QuestionnaireId, response.QuestionnaireVersion, ct)).Definition;
            var texts = Verbatims.Read(response, definition);
            var list = result.TryGetValue(row.Dealer, out var had) ? had : result[row.Dealer] = [];
            if (texts.Count == 0 || list.Count >= perDealer) continue;
            list.Add(new Verbatim(row.Id, row.Nps, row.CompletedAt, texts));
        }
        return result;
    }
}
