using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Drivers;
using static Survey.Tests.Domain.Analytics.DriverSamples;

namespace Survey.Tests.Domain.Analytics;

public class DriverGapTests
{
    private static readonly DriverAttribute[] Attributes = [new("lounge", OneToFive), new("wifi", OneToFive)];

    private static IEnumerable<DealerRespondent> At(string dealer, string region, params int[] lounge) =>
        lounge.Select(score => new DealerRespondent(dealer, region, Respondent(9, ("lounge", score))));

    private static readonly DealerRespondent[] Respondents =
    [
        .. At("D1", "NORTH", 5, 5, 4, 4, 3),
        .. At("D2", "NORTH", 3, 3, 3, 3, 3, 2, 2, 2, 2, 2),
        .. At("D3", "SOUTH", 5, 5, 5, 5),
    ];

    [Fact]
    public void Given_dealers_in_a_region_When_gaps_Then_dealer_performance_minus_region_performance()
    {
        // D1 lounge mean 21/5 = 4.2 → (4.2 − 1)/4 = 80. D2 mean 25/10 = 2.5 → 37.5.
        // NORTH (both dealers, 15 answers) mean 46/15 = 3.0667 → 51.667. Gaps: 80 − 51.667 = +28.33; 37.5 − 51.667 = −14.17.
        var gaps = DriverGaps.ForDealers(Attributes, Respondents).ToDictionary(g => g.DealerCode);
        var d1 = gaps["D1"].Gaps[0];
        d1.Key.ShouldBe("lounge");
        d1.Dealer.Value.ShouldBe(80, 1e-9);
        d1.Region.Value.ShouldBe(155.0 / 3, 1e-9);
        d1.Gap.Value.ShouldBe(80 - 155.0 / 3, 1e-9);
        gaps["D2"].Gaps[0].Gap.Value.ShouldBe(37.5 - 155.0 / 3, 1e-9);
        gaps["D2"].RegionCode.ShouldBe("NORTH");
    }

    [Fact]
    public void Given_dealer_with_4_answers_When_gaps_Then_suppressed_for_anonymity()
    {
        var d3 = DriverGaps.ForDealers(Attributes, Respondents).Single(g => g.DealerCode == "D3").Gaps[0];
        d3.Dealer.Suppression!.Code.ShouldBe("too-few-responses");
        d3.Region.Value.ShouldBe(100);
        d3.Gap.IsSuppressed.ShouldBeTrue();
    }

    [Fact]
    public void Given_driver_nobody_answered_When_gaps_Then_no_data()
    {
        var wifi = DriverGaps.ForDealers(Attributes, Respondents).First().Gaps[1];
        wifi.Key.ShouldBe("wifi");
        wifi.Gap.Suppression!.Reason.ShouldBe(ReportSuppressionReason.NoData);
    }

    [Fact]
    public void Given_tenant_minimum_sample_When_gaps_Then_dealer_below_it_is_suppressed()
    {
        var north = Respondents.Where(r => r.RegionCode == "NORTH").Select(r => r.Respondent).ToList();
        var d1 = Respondents.Where(r => r.DealerCode == "D1").Select(r => r.Respondent);
        var gap = DriverGaps.Between(Attributes, d1, north, new SampleRules(MinimumSample: 10))[0];
        gap.Dealer.Suppression!.Code.ShouldBe("insufficient-sample");
    }
}
