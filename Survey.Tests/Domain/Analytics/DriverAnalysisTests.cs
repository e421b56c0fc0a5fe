using Survey.Domain.Analytics.Drivers;
using static Survey.Tests.Domain.Analytics.DriverSamples;

namespace Survey.Tests.Domain.Analytics;

public class DriverAnalysisTests
{
    [Fact]
    public void Given_32_responses_for_3_attributes_When_analysed_Then_shapley_shares_of_r_squared()
    {
        // 32 ≥ 10·3: regression. Shares = φ / R² = (4.625, 1, 2.375) / 8.
        var result = DriverAnalysis.Analyse(CorrelatedAttributes, Correlated());
        result.Method.ShouldBe(DriverMethod.ShapleyR2);
        result.MethodNote.ShouldBe("32 complete responses for 3 attributes.");
        result.CompleteResponses.ShouldBe(32);
        result.RSquared!.Value.ShouldBe(8.0 / 9, 1e-12);
        result.Drivers.Select(d => d.Key).ShouldBe(["advisor", "lounge", "handover"]);
        result.Drivers.Select(d => d.Importance).ShouldBe([4.625 / 8, 1.0 / 8, 2.375 / 8], tolerance: 1e-12);
        result.Drivers.Select(d => d.RSquaredContribution!.Value).ShouldBe([4.625 / 9, 1.0 / 9, 2.375 / 9], tolerance: 1e-12);
        result.Drivers.Select(d => d.Correlation).ShouldBe([2.5 / 3, 1.0 / 3, 2.0 / 3], tolerance: 1e-12);
    }

    [Fact]
    public void Given_attribute_means_When_analysed_Then_performance_is_the_mean_rescaled_to_100()
    {
        // advisor mean 3 → (3 − 1)/4 = 50, lounge 4 → 75, handover 2 → 25.
        var result = DriverAnalysis.Analyse(CorrelatedAttributes, Correlated());
        result.Drivers.Select(d => d.Performance.Value).ShouldBe([50.0, 75.0, 25.0], tolerance: 1e-12);
    }

    [Fact]
    public void Given_importance_and_performance_When_analysed_Then_quadrants_split_at_the_medians()
    {
        // Importance median 2.375/8 (handover), performance median 50 (advisor); at the median counts as high.
        // advisor: important, performing (50 ≥ 50) → maintain. lounge: less important, performing → monitor.
        // handover: important (at the median), under-performing → fix first.
        var result = DriverAnalysis.Analyse(CorrelatedAttributes, Correlated());
        result.Drivers.Select(d => (d.Key, d.Quadrant, d.QuadrantLabel)).ShouldBe(
        [
            ("advisor", DriverQuadrant.Maintain, "maintain"),
            ("lounge", DriverQuadrant.Monitor, "monitor"),
            ("handover", DriverQuadrant.FixFirst, "fix first"),
        ]);
    }

    [Fact]
    public void Given_four_drivers_When_classified_Then_one_in_each_quadrant()
    {
        // Medians: importance (0.2 + 0.3)/2 = 0.25, performance (50 + 80)/2 = 65.
        PriorityMatrix.Classify([(0.4, 50), (0.3, 80), (0.1, 90), (0.2, 40)]).Select(q => q.Label())
            .ShouldBe(["fix first", "maintain", "monitor", "lower priority"]);
        PriorityMatrix.Classify([]).ShouldBeEmpty();
    }

    [Fact]
    public void Given_12_responses_for_2_attributes_When_analysed_Then_squared_correlations_normalised_and_the_reason_is_given()
    {
        // 12 < 10·2, so no regression. With noise −1, 0, +1 per cell: effects 12·1² = 12 and 12·2² = 48, noise 4·2 = 8, total 68:
        // r² = 12/68 and 48/68, normalised 12/60 = 0.2 and 48/60 = 0.8.
        var result = DriverAnalysis.Analyse(OrthogonalAttributes, Orthogonal(-1, 0, 1));
        result.Method.ShouldBe(DriverMethod.SquaredCorrelations);
        result.MethodNote.ShouldBe("12 complete responses for 2 attributes; at least 20 are needed for the regression.");
        result.RSquared.ShouldBeNull();
        result.Drivers.Select(d => d.Importance).ShouldBe([0.2, 0.8], tolerance: 1e-12);
        result.Drivers.All(d => d.RSquaredContribution is null).ShouldBeTrue();
    }

    [Fact]
    public void Given_20_responses_for_2_attributes_When_analysed_Then_just_enough_for_the_regression()
    {
        var result = DriverAnalysis.Analyse(OrthogonalAttributes, Orthogonal());
        result.Method.ShouldBe(DriverMethod.ShapleyR2);
        result.Drivers.Select(d => d.Importance).ShouldBe([0.2, 0.8], tolerance: 1e-12);
    }

    [Fact]
    public void Given_partial_answers_When_analysed_Then_regression_uses_complete_responses_and_the_rest_count_for_correlation()
    {
        var data = Correlated().Concat(Enumerable.Range(0, 5).Select(_ => Respondent(10, ("advisor", 5)))).ToList();
        var result = DriverAnalysis.Analyse(CorrelatedAttributes, data);
        result.CompleteResponses.ShouldBe(32);
        result.Method.ShouldBe(DriverMethod.ShapleyR2);
        result.RSquared!.Value.ShouldBe(8.0 / 9, 1e-12);
        result.Drivers.Select(d => d.Answers).ShouldBe([37, 32, 32]);
        result.Drivers[0].Correlation.ShouldBeGreaterThan(2.5 / 3);
    }

    [Fact]
    public void Given_two_attributes_always_answered_alike_When_analysed_Then_fallback_says_why()
    {
        var data = Orthogonal().Select(r => Respondent(r.Nps, ("advisor", r.Attributes["advisor"]), ("lounge", r.Attributes["advisor"]))).ToList();
        var result = DriverAnalysis.Analyse(OrthogonalAttributes, data);
        result.Method.ShouldBe(DriverMethod.SquaredCorrelations);
        result.MethodNote.ShouldContain("move together");
        result.Drivers.Select(d => d.Importance).ShouldBe([0.5, 0.5], tolerance: 1e-12);
    }

    [Fact]
    public void Given_nine_attributes_When_analysed_Then_fallback_because_the_regression_takes_at_most_8()
    {
        var attributes = Enumerable.Range(1, 9).Select(i => new DriverAttribute($"a{i}", OneToFive)).ToArray();
        var data = Enumerable.Range(0, 200).Select(i =>
            new DriverRespondent(i % 11, attributes.Select((a, j) => (a.Key, 1 + (i * (j + 2) + i / 11) % 5)).ToDictionary(x => x.Key, x => x.Item2))).ToList();
        var result = DriverAnalysis.Analyse(attributes, data);
        result.Method.ShouldBe(DriverMethod.SquaredCorrelations);
        result.MethodNote.ShouldBe("9 attributes; the regression takes at most 8.");
        result.Drivers.Sum(d => d.Importance).ShouldBe(1, 1e-9);
    }

    [Fact]
    public void Given_attribute_nobody_answered_or_that_never_varies_When_analysed_Then_no_performance_or_zero_correlation()
    {
        var attributes = new[] { new DriverAttribute("advisor", OneToFive), new DriverAttribute("wifi", OneToFive), new DriverAttribute("coffee", OneToFive) };
        var data = Orthogonal().Select(r => Respondent(r.Nps, ("advisor", r.Attributes["advisor"]), ("coffee", 4))).ToList();
        var result = DriverAnalysis.Analyse(attributes, data);
        result.Method.ShouldBe(DriverMethod.SquaredCorrelations);
        var wifi = result.Drivers[1];
        (wifi.Answers, wifi.Correlation, wifi.Importance, wifi.Quadrant).ShouldBe((0, 0.0, 0.0, (DriverQuadrant?)null));
        wifi.Performance.Suppression!.Code.ShouldBe("no-data");
        result.Drivers[2].Correlation.ShouldBe(0);
        result.Drivers[2].Performance.Value.ShouldBe(75);
        result.Drivers[0].Importance.ShouldBe(1);
    }

    [Fact]
    public void Given_answers_outside_their_scale_When_analysed_Then_rejected()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => DriverAnalysis.Analyse(OrthogonalAttributes, [Respondent(11, ("advisor", 3))]));
        Should.Throw<ArgumentOutOfRangeException>(() => DriverAnalysis.Analyse(OrthogonalAttributes, [Respondent(9, ("advisor", 6))]));
    }

    [Fact]
    public void Given_textbook_pairs_When_correlated_Then_pearson_r_0_7746()
    {
        // x = 1..5, y = 2,4,5,4,5: Sxy = 6, Sxx = 10, Syy = 6, r = 6 / sqrt(60) = 0.774597.
        var data = new[] { (1, 2), (2, 4), (3, 5), (4, 4), (5, 5) }.Select(p => Respondent(p.Item2, ("x", p.Item1)));
        DriverAnalysis.Correlation("x", data).ShouldBe(6 / Math.Sqrt(60), 1e-12);
    }
}
