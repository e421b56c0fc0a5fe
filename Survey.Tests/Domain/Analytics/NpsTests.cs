using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Metrics;
using static Survey.Tests.Domain.Analytics.AnalyticsSamples;

namespace Survey.Tests.Domain.Analytics;

public class NpsTests
{
    [Fact]
    public void Given_5_promoters_3_passives_2_detractors_When_calculated_Then_nps_30_with_hand_computed_margin()
    {
        // p_P = 5/10 = 0.5, p_D = 2/10 = 0.2, NPS = 50 − 20 = 30.
        // var = p_P + p_D − (p_P − p_D)² = 0.5 + 0.2 − 0.3² = 0.61
        // MoE = 1.96 · sqrt(0.61 / 10) = 1.96 · 0.246982 = 0.484084 → 48.41 NPS points.
        var nps = Nps.Calculate([10, 9, 9, 10, 9, 8, 7, 8, 6, 0]).Value;
        nps.Respondents.ShouldBe(10);
        (nps.Promoters, nps.Passives, nps.Detractors).ShouldBe((5, 3, 2));
        nps.PromoterPercent.ShouldBe(50);
        nps.PassivePercent.ShouldBe(30);
        nps.DetractorPercent.ShouldBe(20);
        nps.Score.ShouldBe(30, 1e-9);
        nps.Variance.ShouldBe(0.61, 1e-12);
        nps.MarginOfError.ShouldBe(48.408, 0.001);
    }

    [Fact]
    public void Given_textbook_sample_of_200_When_calculated_Then_margin_matches_the_worked_example()
    {
        // 100 promoters (50%), 60 passives (30%), 40 detractors (20%): NPS = 30.
        // Variance from the definition, Σ p_k · (x_k − mean)², with x = +1/0/−1 and mean 0.3:
        //   0.5 · (1 − 0.3)² + 0.3 · (0 − 0.3)² + 0.2 · (−1 − 0.3)² = 0.245 + 0.027 + 0.338 = 0.61
        // which equals the short form p_P + p_D − (p_P − p_D)² = 0.7 − 0.09 = 0.61.
        // Standard error = sqrt(0.61 / 200) = sqrt(0.00305) = 0.0552268; MoE = 1.96 · 0.0552268 = 0.108245 → ±10.82 points,
        // so the 95% interval is 19.2 to 40.8.
        var nps = Nps.FromCounts(100, 60, 40).Value;
        nps.Score.ShouldBe(30, 1e-9);
        nps.Variance.ShouldBe(0.61, 1e-12);
        nps.MarginOfError.ShouldBe(10.8245, 0.0001);
        (nps.Score - nps.MarginOfError).ShouldBe(19.18, 0.01);
    }

    [Fact]
    public void Given_no_scores_When_calculated_Then_no_data_rather_than_a_division_by_zero()
    {
        var result = Nps.Calculate([]);
        result.IsShown.ShouldBeFalse();
        result.Suppression!.Reason.ShouldBe(ReportSuppressionReason.NoData);
        result.Suppression.Text.ShouldBe("no data");
        Should.Throw<InvalidOperationException>(() => result.Value);
        Nps.FromCounts(0, 0, 0).IsSuppressed.ShouldBeTrue();
    }

    [Fact]
    public void Given_all_promoters_When_calculated_Then_nps_100_and_margin_0()
    {
        // var = 1 + 0 − 1² = 0: everyone scores +1, there is no spread.
        var nps = Nps.Calculate([9, 10, 10, 9, 9]).Value;
        nps.Score.ShouldBe(100);
        nps.Variance.ShouldBe(0);
        nps.MarginOfError.ShouldBe(0);
    }

    [Fact]
    public void Given_all_detractors_or_all_passives_When_calculated_Then_minus_100_or_0_with_margin_0()
    {
        var detractors = Nps.Calculate([0, 3, 6]).Value;
        detractors.Score.ShouldBe(-100);
        detractors.MarginOfError.ShouldBe(0);
        var passives = Nps.Calculate([7, 8]).Value;
        passives.Score.ShouldBe(0);
        passives.MarginOfError.ShouldBe(0);
    }

    [Fact]
    public void Given_half_promoters_half_detractors_When_calculated_Then_nps_0_with_the_largest_variance()
    {
        // var = 0.5 + 0.5 − 0² = 1; MoE = 1.96 · sqrt(1/4) = 0.98 → 98 points.
        var nps = Nps.Calculate([10, 10, 0, 0]).Value;
        nps.Score.ShouldBe(0);
        nps.Variance.ShouldBe(1);
        nps.MarginOfError.ShouldBe(98, 1e-9);
    }

    [Theory]
    [InlineData(6, false, true)]
    [InlineData(7, false, false)]
    [InlineData(8, false, false)]
    [InlineData(9, true, false)]
    public void Given_boundary_score_When_classified_Then_promoter_from_9_detractor_up_to_6(int score, bool promoter, bool detractor)
    {
        Nps.IsPromoter(score).ShouldBe(promoter);
        Nps.IsDetractor(score).ShouldBe(detractor);
    }

    [Fact]
    public void Given_score_outside_0_to_10_When_calculated_Then_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Nps.Calculate([10, 11]));
        Should.Throw<ArgumentOutOfRangeException>(() => Nps.Calculate([-1]));
        Should.Throw<ArgumentOutOfRangeException>(() => Nps.FromCounts(-1, 1, 0));
    }

    [Fact]
    public void Given_two_dealers_distributions_When_added_Then_region_nps_is_that_of_all_answers()
    {
        var region = NpsAnswers(5, 3, 2).Plus(NpsAnswers(95, 57, 38));
        Nps.From(region).Value.ShouldBe(Nps.FromCounts(100, 60, 40).Value);
        Should.Throw<ArgumentException>(() => Nps.From(Distribution(RatingScale.Csat, (5, 1))));
    }
}
