namespace Survey.Domain.Analytics.Metrics;

/// <summary>One point of a scale: how many chose it and their share in %.</summary>
public sealed record ScalePoint(int Score, int Count, double Percent);

/// <summary>
/// Mean and distribution of one rating question on any scale, with the plug-in standard deviation, the 95% margin of the mean,
/// and the mean rescaled to 0..100 (the scale's minimum is 0, its maximum 100).
/// </summary>
public sealed record RatingSummary(
    RatingScale Scale,
    int Respondents,
    double Mean,
    double StandardDeviation,
    double MarginOfError,
    IReadOnlyList<ScalePoint> Distribution)
{
    public double MeanOutOfHundred => Scale.ToHundred(Mean);
    public double MarginOfErrorOutOfHundred => Scale.WidthToHundred(MarginOfError);
}

public static class Ratings
{
    public static Reported<RatingSummary> Summarise(RatingScale scale, IEnumerable<int> scores) => Summarise(ScoreDistribution.Of(scale, scores));

    public static Reported<RatingSummary> Summarise(ScoreDistribution distribution)
    {
        if (distribution.IsEmpty) return Reported.NoData<RatingSummary>("No answers to this question.");
        var (mean, variance) = distribution.Moments();
        var n = distribution.N;
        var points = distribution.Counts.Select((count, i) => new ScalePoint(distribution.Scale.Min + i, count, 100.0 * count / n)).ToList();
        return Reported.Shown(new RatingSummary(distribution.Scale, n, mean, Math.Sqrt(variance), Confidence.MarginOfError(variance, n), points));
    }
}
