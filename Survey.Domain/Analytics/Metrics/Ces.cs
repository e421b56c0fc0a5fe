namespace Survey.Domain.Analytics.Metrics;

/// <summary>Customer effort on 1-7 (7 = very easy): the mean with its 95% margin, and the share that found it easy.</summary>
public sealed record CesResult(int Respondents, double Mean, double MeanMarginOfError, int Easy)
{
    /// <summary>% of answers from 5 to 7.</summary>
    public double EasyPercent => 100.0 * Easy / Respondents;
}

/// <remarks>
/// "Easy" is 5, 6 or 7: the points above the neutral midpoint 4 of the seven-point agreement scale ("The company made it easy
/// for me to handle my issue"), the usual top-3-box reading of CES 2.0. A 4 is neither easy nor hard and does not count.
/// </remarks>
public static class Ces
{
    public const int EasyFrom = 5;

    public static Reported<CesResult> Calculate(IEnumerable<int> scores) => From(ScoreDistribution.Of(RatingScale.Ces, scores));

    public static Reported<CesResult> From(ScoreDistribution distribution)
    {
        if (distribution.Scale != RatingScale.Ces) throw new ArgumentException($"CES is answered on 1..7, not {distribution.Scale}.", nameof(distribution));
        if (distribution.IsEmpty) return Reported.NoData<CesResult>("No CES answers.");
        var (mean, variance) = distribution.Moments();
        return Reported.Shown(new CesResult(distribution.N, mean, Confidence.MarginOfError(variance, distribution.N), distribution.CountBetween(EasyFrom, 7)));
    }
}
