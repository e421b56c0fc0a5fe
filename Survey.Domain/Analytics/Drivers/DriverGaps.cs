using Survey.Domain.Analytics.Metrics;

namespace Survey.Domain.Analytics.Drivers;

/// <summary>A driver's performance (0..100) at a dealer and in its region, and the gap: dealer − region (negative = behind the region).</summary>
public sealed record DriverGap(string Key, Reported<double> Dealer, Reported<double> Region, Reported<double> Gap);

/// <summary>One dealer's gaps to its region on every driver.</summary>
public sealed record DealerDriverGaps(string DealerCode, string RegionCode, IReadOnlyList<DriverGap> Gaps);

/// <summary>A respondent of a dealer, for gaps across many dealers at once.</summary>
public sealed record DealerRespondent(string DealerCode, string RegionCode, DriverRespondent Respondent);

/// <summary>
/// How each dealer compares with its region, driver by driver. The region's performance includes the dealer's own respondents.
/// A dealer's figure on a driver follows <see cref="SampleRules"/> on the number who answered it; by default only the anonymity
/// floor applies (never below 5 answers), since a gap is read next to the dealer's own scorecard.
/// </summary>
public static class DriverGaps
{
    private static readonly SampleRules FloorOnly = new(SampleRules.AnonymityFloor);

    public static IReadOnlyList<DriverGap> Between(IReadOnlyList<DriverAttribute> attributes, IEnumerable<DriverRespondent> dealer, IEnumerable<DriverRespondent> region, SampleRules? rules = null)
    {
        var dealerList = dealer.ToList();
        var regionList = region.ToList();
        return attributes.Select(a => Gap(a.Key, DriverAnalysis.Distribution(a, dealerList), DriverAnalysis.Distribution(a, regionList), rules)).ToList();
    }

    /// <summary>Gaps for every dealer in the data, each against all respondents of its region; dealers in code order.</summary>
    public static IReadOnlyList<DealerDriverGaps> ForDealers(IReadOnlyList<DriverAttribute> attributes, IEnumerable<DealerRespondent> respondents, SampleRules? rules = null)
    {
        var all = respondents.ToList();
        var byRegion = all.GroupBy(r => r.RegionCode).ToDictionary(g => g.Key, g => g.Select(r => r.Respondent).ToList());
        return all.GroupBy(r => (r.DealerCode, r.RegionCode))
            .OrderBy(g => g.Key.DealerCode, StringComparer.Ordinal)
            .Select(g => new DealerDriverGaps(g.Key.DealerCode, g.Key.RegionCode, Between(attributes, g.Select(r => r.Respondent), byRegion[g.Key.RegionCode], rules)))
            .ToList();
    }

    public static DriverGap Gap(string key, ScoreDistribution dealer, ScoreDistribution region, SampleRules? rules = null)
    {
        var dealerPerformance = (rules ?? FloorOnly).Check(dealer.N) is { } suppression
            ? Reported<double>.Suppressed(suppression)
            : Ratings.Summarise(dealer).Map(s => s.MeanOutOfHundred);
        var regionPerformance = Ratings.Summarise(region).Map(s => s.MeanOutOfHundred);
        var gap = dealerPerformance.IsSuppressed ? Reported<double>.Suppressed(dealerPerformance.Suppression)
            : regionPerformance.IsSuppressed ? Reported<double>.Suppressed(regionPerformance.Suppression)
            : Reported.Shown(dealerPerformance.Value - regionPerformance.Value);
        return new DriverGap(key, dealerPerformance, regionPerformance, gap);
    }
}
