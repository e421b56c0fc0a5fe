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
/// Builds scorecards for one period and any number of dealers with a fixed number of queries, whatever the number of dealers: the answers
/// of every trend period and the previous one grouped by dealer and period with the period's rates (one round trip), the latest
/// verbatims, the case figures. Region figures are sums of their dealers' distributions.
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
        // rates only for the period itself; the trend and the previous period need answers only
        var loaded = periods.Append(period).Append(period.Previous()).Distinct().ToList();
        // the trend and the previous period show NPS and the index: of the keyed questions, only the index's attributes
        var indexKeys = definition.Components.Where(c => c.Kind == IndexComponentKind.Attribute && c.Key is not null).Select(c => c.Key!).ToList();
        var sets = await context.Sql.Load(tenant, new Slice(), loaded.Select(calendar.Bounds).ToList(), GroupBy.Dealer, loaded.IndexOf(period), ct, indexKeys);
        var byPeriod = loaded.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => sets[x.i]);
        var current = byPeriod[period];
        SliceData Data(Dictionary<string, SliceData> set, string dealer) => set.GetValueOrDefault(dealer) ?? new SliceData();

        var regions = allDealers.Values.GroupBy(d => d.RegionCode).ToDictionary(g => g.Key, g => SliceData.Sum(g.Select(d => Data(current, d.Code))));
        var ranks = Ranking.Rank(allDealers.Values.Select(d => new RankEntry(d.Code, d.RegionCode, SliceFigures.IndexValue(Data(current, d.Code), definition))))
            .ToDictionary(r => r.DealerCode);

        var (periodFrom, periodUntil) = calendar.Bounds(period);
        var latest = verbatims == 0 ? [] : await LatestVerbatims(dealers.Select(d => d.Code).ToArray(), periodFrom, periodUntil, verbatims, ct);
        var caseFigures = await cases.ForDealers(context.Scope.TenantId, dealers.Select(d => d.Code).ToList(), periodFrom, periodUntil, ct);

        var result = new List<DealerScorecard>();
        foreach (var dealer in dealers)
        {
            var data = Data(current, dealer.Code);
            var figures = SliceFigures.Compute(data, definition);
            var rank = ranks[dealer.Code];
            var trend = periods.Select(p =>
            {
                var d = Data(byPeriod[p], dealer.Code);
                var (index, nps) = SliceFigures.Headline(d, definition);
                return new TrendPoint(p.Label, p.Start, d.Responses, index, nps);
            }).ToList();
            var region = regions.GetValueOrDefault(dealer.RegionCode) ?? new SliceData();
            var gaps = data.Keys.Where(k => k.Value.Type == "rating").OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => DriverGaps.Gap(k.Key, k.Value.Distribution,
                    region.Keys.TryGetValue(k.Key, out var r) && r.Distribution.Scale == k.Value.Distribution.Scale ? r.Distribution : Domain.Analytics.Metrics.ScoreDistribution.Empty(k.Value.Distribution.Scale),
                    definition.SampleRules))
                .Select(g => new GapView(g.Key, Nullable(g.Dealer), Nullable(g.Region), Nullable(g.Gap)))
                .ToList();
            var dealerCases = caseFigures?.GetValueOrDefault(dealer.Code);
            result.Add(new DealerScorecard(dealer.Code, dealer.Name, dealer.RegionCode, PeriodView.Of(period, calendar), data.Responses,
                figures.Index, figures.Nps, figures.ResponseRate, figures.CompletionRate,
                new RankView(rank.InRegion?.Position, rank.InRegion?.OutOf, rank.National?.Position, rank.National?.OutOf, rank.Unranked?.Code),
                SliceFigures.Change(Data(byPeriod[period.Previous()], dealer.Code), data, definition), trend, gaps,
                // verbatims follow the same anonymity rule as the scores: none below the floor
                definition.SampleRules.Check(data.Responses) is null ? latest.GetValueOrDefault(dealer.Code) ?? [] : [],
                dealerCases is null ? new CasesView(false, "no case data", null) : new CasesView(true, null, dealerCases)));
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
