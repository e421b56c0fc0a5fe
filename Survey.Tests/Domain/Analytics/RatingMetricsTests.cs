using Survey.Domain.Analytics.Metrics;
using static Survey.Tests.Domain.Analytics.AnalyticsSamples;

namespace Survey.Tests.Domain.Analytics;

public class RatingMetricsTests
{
    [Fact]
    public void Given_ten_csat_answers_When_calculated_Then_top_two_box_and_mean_with_margins()
    {
        // 5,5,5 4,4,4,4 3 2 1: top-2-box = 7/10 = 70%; mean = 37/10 = 3.7.
        // Plug-in variance: (3·1.3² + 4·0.3² + 0.7² + 1.7² + 2.7²) / 10 = (5.07 + 0.36 + 0.49 + 2.89 + 7.29) / 10 = 1.61.
        // Mean MoE = 1.96 · sqrt(1.61/10) = 0.7864; top-2-box MoE = 1.96 · sqrt(0.7 · 0.3 / 10) = 0.2840 → 28.40 points.
        var csat = Csat.Calculate([5, 5, 4, 4, 4, 3, 2, 1, 5, 4]).Value;
        csat.Respondents.ShouldBe(10);
        csat.TopTwoBox.ShouldBe(7);
        csat.TopTwoBoxPercent.ShouldBe(70);
        csat.Mean.ShouldBe(3.7, 1e-12);
        csat.MeanMarginOfError.ShouldBe(0.7864, 0.0001);
        csat.TopTwoBoxMarginOfError.ShouldBe(28.40, 0.01);
    }

    [Fact]
    public void Given_seven_ces_answers_When_calculated_Then_mean_and_share_easy_from_5()
    {
        // 7,6,5,4,3,7,5: mean 37/7 = 5.2857; easy (5-7) = 5 of 7 = 71.43%; the 4 is neutral, not easy.
        var ces = Ces.Calculate([7, 6, 5, 4, 3, 7, 5]).Value;
        ces.Mean.ShouldBe(37.0 / 7, 1e-12);
        ces.Easy.ShouldBe(5);
        ces.EasyPercent.ShouldBe(500.0 / 7, 1e-9);
    }

    [Fact]
    public void Given_no_answers_When_csat_ces_or_rating_summarised_Then_no_data()
    {
        Csat.Calculate([]).IsSuppressed.ShouldBeTrue();
        Ces.Calculate([]).Suppression!.Code.ShouldBe("no-data");
        Ratings.Summarise(new RatingScale(0, 10), []).IsSuppressed.ShouldBeTrue();
    }

    [Fact]
    public void Given_answers_outside_the_scale_When_calculated_Then_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Csat.Calculate([0]));
        Should.Throw<ArgumentOutOfRangeException>(() => Ces.Calculate([8]));
        Should.Throw<ArgumentException>(() => new RatingScale(5, 5));
    }

    [Fact]
    public void Given_rating_on_a_1_to_10_scale_When_summarised_Then_mean_distribution_and_rescaled_mean()
    {
        // 10,10,7,7,7,4: mean 45/6 = 7.5; plug-in variance (2·2.5² + 3·0.5² + 3.5²) / 6 = (12.5 + 0.75 + 12.25) / 6 = 4.25.
        // On 0..100: (7.5 − 1) / 9 · 100 = 72.22.
        var summary = Ratings.Summarise(new RatingScale(1, 10), [10, 10, 7, 7, 7, 4]).Value;
        summary.Respondents.ShouldBe(6);
        summary.Mean.ShouldBe(7.5, 1e-12);
        summary.StandardDeviation.ShouldBe(Math.Sqrt(4.25), 1e-12);
        summary.MarginOfError.ShouldBe(1.96 * Math.Sqrt(4.25 / 6), 1e-12);
        summary.MeanOutOfHundred.ShouldBe(650.0 / 9, 1e-9);
        summary.Distribution.Count.ShouldBe(10);
        summary.Distribution.Where(p => p.Count > 0).Select(p => (p.Score, p.Count, Math.Round(p.Percent, 2)))
            .ShouldBe([(4, 1, 16.67), (7, 3, 50.0), (10, 2, 33.33)]);
        summary.Distribution.Sum(p => p.Percent).ShouldBe(100, 1e-9);
    }

    [Fact]
    public void Given_counts_kept_by_a_projection_When_summarised_Then_same_as_from_the_answers()
    {
        var fromCounts = ScoreDistribution.FromCounts(RatingScale.Csat, [1, 1, 1, 4, 3]);
        Csat.From(fromCounts).Value.ShouldBe(Csat.Calculate([5, 5, 4, 4, 4, 3, 2, 1, 5, 4]).Value);
        Should.Throw<ArgumentException>(() => ScoreDistribution.FromCounts(RatingScale.Csat, [1, 2, 3]));
    }
}
