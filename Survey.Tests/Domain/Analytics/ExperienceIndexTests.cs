using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Analytics.Metrics;
using Survey.Domain.Common;
using static Survey.Tests.Domain.Analytics.AnalyticsSamples;

namespace Survey.Tests.Domain.Analytics;

public class ExperienceIndexTests
{
    private static readonly RatingScale OneToFive = new(1, 5);

    /// <summary>NPS weighs 2, CSAT 1, the lounge 1: normalised 0.5, 0.25, 0.25.</summary>
    private static readonly ExperienceIndexDefinition Definition =
        new(Version: 3, [IndexComponent.Nps(2), IndexComponent.Csat(1), IndexComponent.Attribute("lounge", 1)]);

    private static IndexSlice Slice() => new(
        Responses: 40,
        Nps: NpsAnswers(promoters: 20, passives: 12, detractors: 8),
        Csat: Distribution(RatingScale.Csat, (5, 10), (4, 20), (3, 10)),
        Attributes: new Dictionary<string, ScoreDistribution> { ["lounge"] = Distribution(OneToFive, (4, 15), (2, 15)) });

    [Fact]
    public void Given_weighted_components_When_computed_Then_each_is_rescaled_to_100_and_weighted()
    {
        // NPS: 50% − 20% = 30 → (30 + 100) / 2 = 65. CSAT mean (50 + 80 + 30) / 40 = 4.0 → (4 − 1) / 4 · 100 = 75.
        // Lounge (answered by 30 of 40) mean (60 + 30) / 30 = 3.0 → (3 − 1) / 4 · 100 = 50.
        // Index = 0.5 · 65 + 0.25 · 75 + 0.25 · 50 = 32.5 + 18.75 + 12.5 = 63.75.
        var index = ExperienceIndex.Compute(Definition, Slice()).Value;
        index.Version.ShouldBe(3);
        index.SampleSize.ShouldBe(40);
        index.Value.ShouldBe(63.75, 1e-9);
        index.Components.Select(c => (c.Component.Name, c.Weight, c.Answers, c.Score)).ShouldBe(
        [
            ("nps", 0.5, 40, 65.0),
            ("csat", 0.25, 40, 75.0),
            ("lounge", 0.25, 30, 50.0),
        ]);
        index.Components.Sum(c => c.Contribution).ShouldBe(index.Value, 1e-9);
    }

    [Fact]
    public void Given_component_margins_When_computed_Then_index_margin_is_the_root_of_weighted_squares()
    {
        // NPS: var 0.61, MoE 1.96 · sqrt(0.61/40) = 24.204 points → 12.102 on 0..100 (the range halves).
        // CSAT: plug-in var (10·1 + 20·0 + 10·1) / 40 = 0.5, MoE 1.96 · sqrt(0.5/40) = 0.21913 → · 25 = 5.4784.
        // Lounge: var 1 (answers 4 and 2 around 3), MoE 1.96 · sqrt(1/30) = 0.35785 → · 25 = 8.9461.
        // Index MoE = sqrt(0.5² · 12.102² + 0.25² · 5.4784² + 0.25² · 8.9461²) = sqrt(36.614 + 1.8758 + 5.0020) = 6.5949.
        var index = ExperienceIndex.Compute(Definition, Slice()).Value;
        index.Components[0].RawMarginOfError.ShouldBe(24.204, 0.001);
        index.Components[0].MarginOfError.ShouldBe(12.102, 0.001);
        index.Components[1].MarginOfError.ShouldBe(5.4784, 0.0001);
        index.Components[2].MarginOfError.ShouldBe(8.9461, 0.0001);
        index.MarginOfError.ShouldBe(6.5949, 0.0001);
    }

    [Fact]
    public void Given_ces_and_a_rating_on_0_to_10_When_computed_Then_each_uses_its_own_scale()
    {
        // CES mean 6 on 1..7 → (6 − 1) / 6 · 100 = 83.33; "clean" mean 8 on 0..10 → 80. Equal weights → 81.67.
        var definition = new ExperienceIndexDefinition(1, [IndexComponent.Ces(0.5), IndexComponent.Attribute("clean", 0.5)]);
        var slice = new IndexSlice(30, Ces: Distribution(RatingScale.Ces, (6, 30)),
            Attributes: new Dictionary<string, ScoreDistribution> { ["clean"] = Distribution(new RatingScale(0, 10), (8, 30)) });
        var index = ExperienceIndex.Compute(definition, slice).Value;
        index.Value.ShouldBe((500.0 / 6 + 80) / 2, 1e-9);
        index.MarginOfError.ShouldBe(0);
    }

    [Theory]
    [InlineData(0, "no-data")]
    [InlineData(4, "too-few-responses")]
    [InlineData(5, "insufficient-sample")]
    [InlineData(29, "insufficient-sample")]
    [InlineData(30, null)]
    public void Given_slice_size_When_computed_Then_suppressed_below_30_and_never_shown_below_5(int responses, string? code)
    {
        var definition = new ExperienceIndexDefinition(1, [IndexComponent.Nps(1)]);
        var result = ExperienceIndex.Compute(definition, new IndexSlice(responses, Nps: NpsAnswers(responses, 0, 0)));
        if (code is null)
        {
            result.Value.Value.ShouldBe(100);
            result.Value.SampleSize.ShouldBe(30);
        }
        else
        {
            result.IsShown.ShouldBeFalse();
            result.Suppression!.Code.ShouldBe(code);
        }
    }

    [Fact]
    public void Given_tenant_minimum_of_10_When_computed_Then_shown_from_10_but_still_never_below_5()
    {
        var definition = new ExperienceIndexDefinition(1, [IndexComponent.Nps(1)], MinimumSample: 10);
        ExperienceIndex.Compute(definition, new IndexSlice(10, Nps: NpsAnswers(10, 0, 0))).IsShown.ShouldBeTrue();
        var nine = ExperienceIndex.Compute(definition, new IndexSlice(9, Nps: NpsAnswers(9, 0, 0)));
        nine.Suppression!.Text.ShouldBe("insufficient sample");
        nine.Suppression.Detail.ShouldBe("9 responses; at least 10 are needed.");
        ExperienceIndex.Compute(definition, new IndexSlice(4, Nps: NpsAnswers(4, 0, 0))).Suppression!.Text.ShouldBe("too few responses");
    }

    [Fact]
    public void Given_component_nobody_answered_When_computed_Then_no_data_naming_it()
    {
        var slice = Slice() with { Attributes = new Dictionary<string, ScoreDistribution>() };
        var result = ExperienceIndex.Compute(Definition, slice);
        result.Suppression!.Reason.ShouldBe(ReportSuppressionReason.NoData);
        result.Suppression.Detail.ShouldContain("'lounge'");
    }

    [Fact]
    public void Given_invalid_definition_When_computed_Then_rejected_with_its_problems()
    {
        var broken = Definition with { Components = [IndexComponent.Nps(0)] };
        Should.Throw<InvalidInputException>(() => ExperienceIndex.Compute(broken, Slice())).Problems.Single().Path.ShouldBe("components[0].weight");
    }

    [Fact]
    public void Given_csat_distribution_on_the_wrong_scale_When_computed_Then_rejected()
    {
        var slice = Slice() with { Csat = Distribution(RatingScale.Ces, (4, 40)) };
        Should.Throw<ArgumentException>(() => ExperienceIndex.Compute(Definition, slice));
    }
}
