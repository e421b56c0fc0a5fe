using Survey.Domain.Analytics.Metrics;

namespace Survey.Tests.Domain.Analytics;

public static class AnalyticsSamples
{
    /// <summary>Scores written as (score, how many), e.g. Scores((10, 5), (8, 3), (3, 2)).</summary>
    public static int[] Scores(params (int Score, int Count)[] groups) => groups.SelectMany(g => Enumerable.Repeat(g.Score, g.Count)).ToArray();

    public static ScoreDistribution Distribution(RatingScale scale, params (int Score, int Count)[] groups) => ScoreDistribution.Of(scale, Scores(groups));

    /// <summary>An NPS distribution of promoters (10), passives (8) and detractors (3).</summary>
    public static ScoreDistribution NpsAnswers(int promoters, int passives, int detractors) =>
        Distribution(RatingScale.Nps, (10, promoters), (8, passives), (3, detractors));
}
