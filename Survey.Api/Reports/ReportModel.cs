namespace Survey.Api.Reports;

// The report model: plain records that the analytics read models fill; the renderer only formats what it is given.
// Texts arrive as they must be printed: verbatims and case subjects are already masked by the caller.

/// <summary>The language of the labels: "en" or "zh-CN".</summary>
public enum ReportLanguage { En, ZhCn }

/// <summary>The period reported on; <paramref name="Label"/> as printed (e.g. "2026-03" or "2026 Q1"). The PDF's dates come from <paramref name="End"/>.</summary>
public sealed record ReportPeriod(string Label, DateOnly Start, DateOnly End);

public sealed record DealerRef(string Code, string Name);

/// <summary>
/// One figure: its value, the change against the previous period (same unit) and, where it applies, the margin of error
/// and the sample. <paramref name="Suppressed"/>: the sample is below the minimum, so neither value nor change is shown.
/// </summary>
public sealed record Kpi(double? Value, double? Change = null, bool Suppressed = false, double? MarginOfError = null, int? Sample = null)
{
    public static Kpi Insufficient(int? sample = null) => new(null, null, true, null, sample);
}

/// <summary>The key figures of a dealer or a region. Rates are in percent (0-100); CSAT is % top-2-box; CES a 1-7 mean.</summary>
public sealed record KpiSet(Kpi ExperienceIndex, Kpi Nps, Kpi Csat, Kpi Ces, Kpi Responses, Kpi ResponseRate, Kpi CaseSlaMet);

/// <summary>One period of the NPS trend: the dealer's value (null when suppressed) and its region's average.</summary>
public sealed record TrendPoint(string Period, double? Value, double? RegionAverage);

public sealed record NpsSplit(int Promoters, int Passives, int Detractors)
{
    public int Total => Promoters + Passives + Detractors;
}

/// <summary>A driver (attribute question) scored 0-100 for the dealer and its region; the gap is dealer minus region.</summary>
public sealed record DriverGap(string Driver, double Dealer, double Region)
{
    public double Gap => Dealer - Region;
}

/// <summary>
/// A position in a ranking of <paramref name="Of"/>; tied positions share the number. Previous is last period's position.
/// Position 0: not ranked (too few responses), printed as "–".
/// </summary>
public sealed record Rank(int Position, int Of, bool Tied = false, int? Previous = null);

/// <summary>A comment, masked by the caller. Negative ones are listed first.</summary>
public sealed record Verbatim(DateOnly Date, int? Score, string Text, bool Negative);

public sealed record CaseItem(string Reference, string Subject, DateOnly OpenedOn, DateOnly DueOn, bool Overdue);

public sealed record CaseSummary(int Open, int Overdue, IReadOnlyList<CaseItem> Items);

/// <summary>One dealer, one period.</summary>
public sealed record DealerScorecard(
    string Brand,
    DealerRef Dealer,
    string Region,
    ReportPeriod Period,
    KpiSet Kpis,
    IReadOnlyList<TrendPoint> NpsTrend,
    NpsSplit Split,
    IReadOnlyList<DriverGap> Drivers,
    Rank RegionRank,
    Rank NationalRank,
    IReadOnlyList<Verbatim> Verbatims,
    CaseSummary Cases);

/// <summary>A region for its manager: the region's own figures and trend, then every dealer's scorecard.</summary>
public sealed record RegionReport(
    string Brand,
    string Region,
    ReportPeriod Period,
    KpiSet Kpis,
    IReadOnlyList<TrendPoint> NpsTrend,
    IReadOnlyList<DealerScorecard> Dealers);
