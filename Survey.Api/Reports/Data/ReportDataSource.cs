using System.Globalization;
using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Analytics.Querying;
using Survey.Api.Analytics.Scorecards;
using Survey.Api.Analytics.Scoping;
using Survey.Api.Operations;
using Survey.Api.Privacy;
using Survey.Api.Security;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Periods;
using Survey.Domain.Cases;
using Survey.Domain.Common;
using AnalyticsCard = Survey.Api.Analytics.Scorecards.DealerScorecard;

namespace Survey.Api.Reports.Data;

/// <summary>
/// The one place report models are filled from: the analytics scorecards (<see cref="ScorecardBuilder"/>: index, NPS, response
/// rate, ranks, driver gaps, verbatims opened through the privacy vault, case KPIs), the same per-dealer distributions for CSAT,
/// CES, the previous period and the 12-period trend, and the open cases. Everything is seen as the viewer (a principal) sees
/// it (its org scope decides which dealers and regions exist and whether comments are shown), in the tenant's calendar.
/// A Hangfire job has no request, so the viewer is a principal made for the recipient (<see cref="ReportViewers"/>).
/// </summary>
public sealed class ReportDataSource(IDocumentStore store, AnalyticsSql sql, IScorecardCaseSource cases, PersonalDataVault vault,
    IOptions<Triggers.TriggerOptions> triggers, TimeProvider time)
{
    public const int TrendPeriods = 12;
    public const int VerbatimsPerDealer = 6;
    public const int CasesPerDealer = 8;

    /// <summary>A tenant's calendar, to read or compute a period in.</summary>
    public async Task<PeriodCalendar> Calendar(string tenant, CancellationToken ct)
    {
        await using var session = store.QuerySession(tenant);
        return (await Analytics.Settings.AnalyticsSettings.Load(session, triggers.Value.TenantTimeZone, ct)).Calendar;
    }

    public async Task<DealerScorecard> Dealer(ClaimsPrincipal viewer, string dealerCode, Period period, ReportLanguage language, CancellationToken ct)
    {
        await using var run = await Open(viewer, period, language, ct);
        var dealer = await run.Context.VisibleDealer(dealerCode, ct);
        return (await run.Cards([dealer], ct)).Single();
    }

    public async Task<RegionReport> Region(ClaimsPrincipal viewer, string regionCode, Period period, ReportLanguage language, CancellationToken ct)
    {
        await using var run = await Open(viewer, period, language, ct);
        var region = await run.Session.LoadAsync<RegionRecord>(regionCode, ct);
        if (region is null || !run.Scope.IncludesRegion(regionCode)) throw new NotFoundException($"Region '{regionCode}' was not found.");
        var dealers = run.AllDealers.Values.Where(d => d.RegionCode == regionCode).OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        var cards = await run.Cards(dealers, ct);
        return run.RegionOf(regionCode, region.Region.Name, dealers, cards);
    }

    private async Task<Run> Open(ClaimsPrincipal viewer, Period period, ReportLanguage language, CancellationToken ct)
    {
        var scopes = new OrgScopes(new FixedHttpContext(viewer));
        var scope = scopes.Current;
        var session = store.QuerySession(scope.Tenant);
        try
        {
            var context = new AnalyticsContext(session, new OrgAnalyticsScopeResolver(scopes), triggers, time, sql);
            var settings = await context.Settings(ct);
            var run = new Run(session, context, new ScorecardBuilder(context, cases, vault, scopes), scope, settings.Calendar, settings.CurrentIndex,
                await ReportSettings.Load(session, ct), await context.Dealers(ct), period, language);
            await run.Load(ct);
            return run;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>One report's data: the tenant-wide distributions of every period it needs, loaded once.</summary>
    private sealed class Run(IQuerySession session, AnalyticsContext context, ScorecardBuilder builder, OrgScope scope, PeriodCalendar calendar,
        ExperienceIndexDefinition definition, ReportSettings settings, Dictionary<string, DealerInfo> allDealers, Period period, ReportLanguage language) : IAsyncDisposable
    {
        public IQuerySession Session => session;
        public AnalyticsContext Context => context;
        public OrgScope Scope => scope;
        public Dictionary<string, DealerInfo> AllDealers => allDealers;
        private readonly List<Period> _trend = Enumerable.Range(0, TrendPeriods).Select(i => period.Shift(i - TrendPeriods + 1)).ToList();
        private readonly Dictionary<Period, Dictionary<string, SliceData>> _data = [];
        private string Locale => language == ReportLanguage.ZhCn ? "zh-CN" : "en";

        /// <summary>Dealer names in the report's language with the other one beside it (managers know outlets by either).</summary>
        private string Both(Domain.Operations.LocalizedName name) =>
            name.Zh == name.En ? name.Zh : language == ReportLanguage.ZhCn ? $"{name.Zh} {name.En}" : $"{name.En} {name.Zh}";

        public async Task Load(CancellationToken ct)
        {
            var tenant = AnalyticsScope.WholeTenant(scope.Tenant);
            foreach (var p in _trend.Append(period.Previous()).Distinct())
            {
                var (from, until) = calendar.Bounds(p);
                _data[p] = await context.Sql.Load(tenant, new Slice(), from, until, GroupBy.Dealer, ct, rates: p == period || p == period.Previous());
            }
        }

        private SliceData Of(Period p, string dealer) => _data[p].GetValueOrDefault(dealer) ?? new SliceData();
        private SliceData OfRegion(Period p, string region) => SliceData.Sum(allDealers.Values.Where(d => d.RegionCode == region).Select(d => Of(p, d.Code)));
        private SliceData OfTenant(Period p) => SliceData.Sum(_data[p].Values);

        public ReportPeriod ReportPeriod => new(period.Label, period.Start, period.End.AddDays(-1));

        public async Task<IReadOnlyList<DealerScorecard>> Cards(IReadOnlyList<DealerInfo> dealers, CancellationToken ct)
        {
            if (dealers.Count == 0) return [];
            var built = await builder.Build(dealers, allDealers, period, calendar, TrendPeriods, VerbatimsPerDealer, ct);
            var regionNames = (await session.Query<RegionRecord>().ToListAsync(ct)).ToDictionary(r => r.Id, r => r.Region.Name.In(Locale));
            var (_, until) = calendar.Bounds(period);
            var open = await OpenCases(dealers.Select(d => d.Code).ToArray(), until, ct);
            var driverNames = await DriverNames(ct);
            var previousRanks = Ranks(period.Previous());
            var currentRanks = Ranks(period);
            return built.Select(card =>
            {
                var data = Of(period, card.DealerCode);
                var previous = Of(period.Previous(), card.DealerCode);
                var kpis = Kpis(data, previous) with
                {
                    CaseSlaMet = card.Cases.Figures?.SlaMetPercent is { } sla ? new Kpi(sla) : new Kpi(null),
                };
                var rank = currentRanks[card.DealerCode];
                var before = previousRanks.GetValueOrDefault(card.DealerCode);
                var inRegion = new Rank(rank.InRegion?.Position ?? 0, rank.InRegion?.OutOf ?? allDealers.Values.Count(d => d.RegionCode == card.RegionCode),
                    rank.InRegion is { } r && currentRanks.Values.Count(o => o.RegionCode == card.RegionCode && o.InRegion?.Position == r.Position) > 1,
                    before?.InRegion?.Position);
                var national = new Rank(rank.National?.Position ?? 0, rank.National?.OutOf ?? allDealers.Count,
                    rank.National is { } n && currentRanks.Values.Count(o => o.National?.Position == n.Position) > 1, before?.National?.Position);
                var split = card.Nps.Value is { } nps ? new NpsSplit(nps.Promoters, nps.Passives, nps.Detractors) : new NpsSplit(0, 0, 0);
                var trend = _trend.Select(p => new TrendPoint(p.Label, NpsOf(Of(p, card.DealerCode)), NpsOf(OfRegion(p, card.RegionCode)))).ToList();
                var drivers = card.DriverGaps.Where(g => g.Dealer.Value is not null && g.Region.Value is not null)
                    .Select(g => new DriverGap(driverNames.GetValueOrDefault(g.Key) ?? g.Key, g.Dealer.Value!.Value, g.Region.Value!.Value)).ToList();
                var caseItems = open.GetValueOrDefault(card.DealerCode) ?? [];
                var caseSummary = new CaseSummary(card.Cases.Figures?.Open ?? caseItems.Count, card.Cases.Figures?.Overdue ?? caseItems.Count(c => c.Overdue),
                    caseItems.Take(CasesPerDealer).ToList());
                return new DealerScorecard(settings.Brand ?? scope.Tenant, new DealerRef(card.DealerCode, Both(card.DealerName)),
                    regionNames.GetValueOrDefault(card.RegionCode) ?? card.RegionCode, ReportPeriod, kpis, trend, split, drivers, inRegion, national,
                    Verbatims(card), caseSummary);
            }).ToList();
        }

        public RegionReport RegionOf(string regionCode, Domain.Operations.LocalizedName name, IReadOnlyList<DealerInfo> dealers, IReadOnlyList<DealerScorecard> cards)
        {
            var kpis = Kpis(OfRegion(period, regionCode), OfRegion(period.Previous(), regionCode));
            // case SLA: the dealers' shares weighted by their number of cases is not known here; the mean of the dealers that have one
            var slas = cards.Select(c => c.Kpis.CaseSlaMet.Value).OfType<double>().ToList();
            kpis = kpis with { CaseSlaMet = new Kpi(slas.Count == 0 ? null : slas.Average()) };
            var trend = _trend.Select(p => new TrendPoint(p.Label, NpsOf(OfRegion(p, regionCode)), NpsOf(OfTenant(p)))).ToList();
            return new RegionReport(settings.Brand ?? scope.Tenant, name.In(Locale), ReportPeriod, kpis, trend, cards);
        }

        /// <summary>Rating questions by analytics key, as worded in the report's language (the newest published wording wins).</summary>
        private async Task<Dictionary<string, string>> DriverNames(CancellationToken ct)
        {
            var published = await session.Query<Questionnaires.PublishedQuestionnaire>().OrderBy(p => p.PublishedAt).ToListAsync(ct);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var question in published.SelectMany(p => p.Definition.Questions).Where(q => q.Type == Domain.Questionnaires.QuestionType.Rating))
            {
                var text = (language == ReportLanguage.ZhCn ? question.Text.In("zh-CN") ?? question.Text.In("zh") : question.Text.In("en")) ?? question.Text.Values.FirstOrDefault();
                if (!string.IsNullOrWhiteSpace(text)) names[question.AnalyticsKey] = text;
            }
            return names;
        }

        private Dictionary<string, DealerRank> Ranks(Period p) =>
            Ranking.Rank(allDealers.Values.Select(d => new RankEntry(d.Code, d.RegionCode, SliceFigures.IndexValue(Of(p, d.Code), definition))))
                .ToDictionary(r => r.DealerCode);

        private double? NpsOf(SliceData data) => SliceFigures.Compute(data, definition).Nps.Value?.Score;

        private KpiSet Kpis(SliceData data, SliceData previous)
        {
            var now = SliceFigures.Compute(data, definition);
            var before = SliceFigures.Compute(previous, definition);
            Kpi Figure<T>(Figure<T> f, Figure<T> b, Func<T, double> value, Func<T, double?>? margin = null, Func<T, int?>? sample = null) where T : class =>
                f.Value is { } v
                    ? new Kpi(value(v), b.Value is { } p ? value(v) - value(p) : null, false, margin?.Invoke(v), sample?.Invoke(v))
                    : new Kpi(null, null, f.Suppressed is not null, null, data.Responses);
            return new KpiSet(
                Figure(now.Index, before.Index, i => i.Value, i => i.MarginOfError, i => i.SampleSize),
                Figure(now.Nps, before.Nps, n => n.Score, n => n.MarginOfError, n => n.Respondents),
                Figure(now.Csat, before.Csat, c => c.TopTwoBoxPercent),
                Figure(now.Ces, before.Ces, c => c.Mean),
                new Kpi(data.Responses, data.Responses - previous.Responses),
                Figure(now.ResponseRate, before.ResponseRate, r => r.Percent),
                new Kpi(null));
        }

        /// <summary>Comments as the analytics scorecard gives them (none for analysts, none below the anonymity floor), contact data masked.</summary>
        private IReadOnlyList<Verbatim> Verbatims(AnalyticsCard card) =>
            card.Verbatims.Select(v => new Verbatim(calendar.LocalDate(v.CompletedAt), v.Nps,
                TextMasking.Mask(string.Join(" / ", v.Texts.Select(t => t.Text))), v.Nps is <= 6)).ToList();

        /// <summary>Cases of these dealers opened before the period's end and not resolved by then; overdue as of then.</summary>
        private async Task<Dictionary<string, List<CaseItem>>> OpenCases(string[] dealers, DateTimeOffset until, CancellationToken ct)
        {
            var rows = await session.Query<Case>()
                .Where(c => c.DealerCode.IsOneOf(dealers) && c.OpenedAt < until && (c.ResolvedAt == null || c.ResolvedAt > until))
                .ToListAsync(ct);
            return rows.GroupBy(c => c.DealerCode!).ToDictionary(g => g.Key, g => g
                .Select(c =>
                {
                    var due = c.FirstContactAt is null || c.FirstContactAt > until ? c.FirstContactDueAt : c.ResolutionDueAt;
                    var overdue = (c.FirstContactAt is null || c.FirstContactAt > until) && c.FirstContactDueAt <= until || c.ResolutionDueAt <= until;
                    return new CaseItem(c.Id.ToString("N")[..8].ToUpperInvariant(), TextMasking.Mask(string.Join("; ", c.Rules.Select(r => r.Reason).Distinct())),
                        calendar.LocalDate(c.OpenedAt), calendar.LocalDate(due), overdue);
                })
                .OrderByDescending(c => c.Overdue).ThenBy(c => c.DueOn).ThenBy(c => c.Reference, StringComparer.Ordinal).ToList());
        }

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    /// <summary>OrgScopes reads the principal from an accessor; this one holds a fixed principal (a download's user, or a job's recipient).</summary>
    private sealed class FixedHttpContext(ClaimsPrincipal user) : IHttpContextAccessor
    {
        private readonly HttpContext _context = new DefaultHttpContext { User = user };
        public HttpContext? HttpContext { get => _context; set { } }
    }
}

/// <summary>Principals the delivery job reads reports as: the recipient's own view (a regional manager of that region).</summary>
public static class ReportViewers
{
    public static ClaimsPrincipal RegionalManager(string tenant, string region) =>
        new(new ClaimsIdentity([
            new Claim(Claims.Tenant, tenant), new Claim(ClaimTypes.Role, Roles.RegionalManager), new Claim(Claims.Regions, region),
        ], "report-delivery", ClaimTypes.Name, ClaimTypes.Role));
}

/// <summary>Period labels as in the address: 2026-10 (month), 2026-Q4 (quarter), 2026 (year), 2026-W-2026-10-05 is not accepted.</summary>
public static class ReportPeriods
{
    public static Period Parse(string? text, string field = "period")
    {
        var t = text?.Trim() ?? "";
        if (DateOnly.TryParseExact(t + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && t.Length == 7)
            return new Period(PeriodKind.Month, month);
        if (t.Length == 7 && t[4] == '-' && t[5] is 'Q' or 'q' && t[6] is >= '1' and <= '4' && int.TryParse(t[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var qy) && qy >= 2000)
            return new Period(PeriodKind.Quarter, new DateOnly(qy, (t[6] - '1') * 3 + 1, 1));
        if (t.Length == 4 && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 2000)
            return new Period(PeriodKind.Year, new DateOnly(year, 1, 1));
        throw new InvalidInputException([new(field, "invalid-period", $"{field} is a month (2026-10), a quarter (2026-Q4) or a year (2026).")]);
    }
}
