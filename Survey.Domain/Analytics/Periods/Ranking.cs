namespace Survey.Domain.Analytics.Periods;

/// <summary>A dealer's score for ranking (higher is better), or why it has none.</summary>
public sealed record RankEntry(string DealerCode, string RegionCode, Reported<double> Score);

/// <summary>Place <see cref="Position"/> among <see cref="OutOf"/> ranked dealers.</summary>
public sealed record Rank(int Position, int OutOf)
{
    public override string ToString() => $"{Position}/{OutOf}";
}

/// <summary>A dealer's rank in its region and nationally; both null and <see cref="Unranked"/> set when its score is suppressed.</summary>
public sealed record DealerRank(string DealerCode, string RegionCode, double? Score, Rank? InRegion, Rank? National, ReportSuppression? Unranked);

/// <summary>
/// Ranks dealers by score, best first, with standard competition ranking ("1224"): dealers with equal scores share the best place and
/// the next place skips as many as shared it. Scores are compared as shown, rounded to <c>decimals</c> places (one by default), so two
/// dealers that read 82.3 on their scorecards never get different ranks. Suppressed dealers are unranked and not counted in "out of".
/// </summary>
public static class Ranking
{
    /// <summary>Ranks in national order, then dealer code; unranked dealers last.</summary>
    public static IReadOnlyList<DealerRank> Rank(IEnumerable<RankEntry> entries, int decimals = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var all = entries.ToList();
        foreach (var duplicate in all.GroupBy(e => e.DealerCode).Where(g => g.Count() > 1))
            throw new ArgumentException($"Dealer '{duplicate.Key}' is listed {duplicate.Count()} times.", nameof(entries));

        var ranked = all.Where(e => e.Score.IsShown).Select(e => (Entry: e, Shown: Math.Round(e.Score.Value, decimals, MidpointRounding.AwayFromZero))).ToList();
        var national = Competition(ranked);
        var regional = ranked.GroupBy(r => r.Entry.RegionCode).SelectMany(Competition).ToDictionary(x => x.Key, x => x.Value);

        return ranked
            .Select(r => new DealerRank(r.Entry.DealerCode, r.Entry.RegionCode, r.Entry.Score.Value, regional[r.Entry.DealerCode], national[r.Entry.DealerCode], null))
            .OrderBy(d => d.National!.Position).ThenBy(d => d.DealerCode, StringComparer.Ordinal)
            .Concat(all.Where(e => e.Score.IsSuppressed).OrderBy(e => e.DealerCode, StringComparer.Ordinal)
                .Select(e => new DealerRank(e.DealerCode, e.RegionCode, null, null, null, e.Score.Suppression)))
            .ToList();
    }

    private static Dictionary<string, Rank> Competition(IEnumerable<(RankEntry Entry, double Shown)> group)
    {
        var list = group.ToList();
        // Position = 1 + how many scored strictly better.
        return list.ToDictionary(x => x.Entry.DealerCode, x => new Rank(1 + list.Count(o => o.Shown > x.Shown), list.Count));
    }
}
