using Survey.Domain.Analytics.Metrics;
using Survey.Domain.Analytics.Periods;

namespace Survey.Tests.Domain.Analytics;

public class NpsChangeTests
{
    private static NpsResult Nps(int promoters, int passives, int detractors) => Survey.Domain.Analytics.Metrics.Nps.FromCounts(promoters, passives, detractors).Value;

    [Fact]
    public void Given_nps_30_then_60_on_200_each_When_compared_Then_significant_improvement()
    {
        // Before: 100/60/40 → NPS 30, var 0.61. After: 140/40/20 → NPS 60, var 0.7 + 0.1 − 0.6² = 0.44.
        // SE = sqrt(0.61/200 + 0.44/200) = sqrt(0.00525) = 0.072457 → 7.2457 points; z = 30 / 7.2457 = 4.14 > 1.96.
        var change = NpsChange.Between(Nps(100, 60, 40), Nps(140, 40, 20));
        change.Delta.ShouldBe(30, 1e-9);
        change.StandardError.ShouldBe(7.2457, 0.0001);
        change.Z!.Value.ShouldBe(4.1404, 0.0001);
        change.Significant.ShouldBeTrue();
        change.Movement.ShouldBe(NpsMovement.Improved);
    }

    [Fact]
    public void Given_nps_30_then_35_on_200_each_When_compared_Then_not_significant()
    {
        // After: 110/50/40 → NPS 35, var 0.55 + 0.2 − 0.35² = 0.6275.
        // SE = sqrt((0.61 + 0.6275) / 200) = 0.078661 → 7.8661 points; z = 5 / 7.8661 = 0.636 < 1.96.
        var change = NpsChange.Between(Nps(100, 60, 40), Nps(110, 50, 40));
        change.Delta.ShouldBe(5, 1e-9);
        change.Z!.Value.ShouldBe(0.6356, 0.0001);
        change.Significant.ShouldBeFalse();
        change.Movement.ShouldBe(NpsMovement.NoSignificantChange);
    }

    [Fact]
    public void Given_nps_falling_from_60_to_30_When_compared_Then_significant_decline()
    {
        var change = NpsChange.Between(Nps(140, 40, 20), Nps(100, 60, 40));
        change.Z!.Value.ShouldBe(-4.1404, 0.0001);
        change.Movement.ShouldBe(NpsMovement.Declined);
    }

    [Fact]
    public void Given_the_same_swing_on_small_samples_When_compared_Then_not_significant()
    {
        // 30 → 60 on 10 respondents each: SE = sqrt(0.061 + 0.044) = 0.324 → 32.4 points; z = 0.93.
        var change = NpsChange.Between(Nps(5, 3, 2), Nps(7, 2, 1));
        change.Delta.ShouldBe(30, 1e-9);
        change.Significant.ShouldBeFalse();
    }

    [Fact]
    public void Given_unanimous_periods_When_compared_Then_no_z_and_any_change_is_significant()
    {
        var same = NpsChange.Between(Nps(20, 0, 0), Nps(30, 0, 0));
        (same.Z, same.Significant, same.StandardError).ShouldBe((null, false, 0.0));
        var flip = NpsChange.Between(Nps(20, 0, 0), Nps(0, 0, 20));
        flip.Delta.ShouldBe(-200);
        (flip.Z, flip.Movement).ShouldBe((null, NpsMovement.Declined));
    }

    [Fact]
    public void Given_previous_period_without_answers_When_compared_Then_no_data()
    {
        var change = NpsChange.Between(Survey.Domain.Analytics.Metrics.Nps.FromCounts(0, 0, 0), Survey.Domain.Analytics.Metrics.Nps.FromCounts(5, 0, 0));
        change.Suppression!.Code.ShouldBe("no-data");
    }
}
