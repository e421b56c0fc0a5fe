namespace Survey.Domain.Analytics.Metrics;

/// <summary>Customer satisfaction on 1-5: the share answering 4 or 5 (top-2-box) and the mean, each with its 95% margin.</summary>
public sealed record CsatResult(int Respondents, int TopTwoBox, double Mean, double MeanMarginOfError)
{
    /// <summary>% of answers that are 4 or 5.</summary>
    public double TopTwoBoxPercent => 100.0 * TopTwoBox / Respondents;

    /// <summary>95% margin of the top-2-box share, in percentage points.</summary>
    public double TopTwoBoxMarginOfError => Confidence.ProportionMarginOfError((double)TopTwoBox / Respondents, Respondents);
}

public static class Csat
{
    public const int SatisfiedFrom = 4;

    public static Reported<CsatResult> Calculate(IEnumerable<int> scores) => From(ScoreDistribution.Of(RatingScale.Csat, scores));

    public static Reported<CsatResult> From(ScoreDistribution distribution)
    {
        if (distribution.Scale != RatingScale.Csat) throw new ArgumentException($"CSAT is answered on 1..5, not {distribution.Scale}.", nameof(distribution));
        if (distribution.IsEmpty) return Reported.NoData<CsatResult>("No CSAT answers.");
        var (mean, variance) = distribution.Moments();
        return Reported.Shown(new CsatResult(distribution.N, distribution.CountBetween(SatisfiedFrom, 5), mean, Confidence.MarginOfError(variance, distribution.N)));
    }
}
