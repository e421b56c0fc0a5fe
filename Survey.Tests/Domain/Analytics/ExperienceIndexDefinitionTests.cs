using Survey.Domain.Analytics.Index;

namespace Survey.Tests.Domain.Analytics;

public class ExperienceIndexDefinitionTests
{
    [Fact]
    public void Given_weights_of_any_size_When_normalised_Then_they_sum_to_1_in_proportion()
    {
        var definition = new ExperienceIndexDefinition(2, [IndexComponent.Nps(40), IndexComponent.Ces(20), IndexComponent.Attribute("lounge", 20), IndexComponent.Attribute("wifi", 20)]);
        definition.Validate().ShouldBeEmpty();
        definition.NormalisedWeights.ShouldBe([0.4, 0.2, 0.2, 0.2], tolerance: 1e-12);
        definition.MinimumSample.ShouldBe(30);
    }

    [Fact]
    public void Given_definition_with_many_mistakes_When_validated_Then_every_problem_is_reported_with_its_path()
    {
        var definition = new ExperienceIndexDefinition(0,
        [
            IndexComponent.Nps(1),                                  // fine
            IndexComponent.Csat(0),                                 // weight not positive
            IndexComponent.Attribute(" ", 1),                       // attribute without key
            new(IndexComponentKind.Ces, -2, "effort"),              // negative weight, key on CES
            IndexComponent.Attribute("lounge", double.NaN),         // not a number
            IndexComponent.Attribute("lounge", 1),                  // duplicate of the one before
            new((IndexComponentKind)9, 1),                          // unknown kind
            null!,                                                  // missing
            IndexComponent.Nps(2),                                  // NPS twice
        ], MinimumSample: 3);
        definition.Validate().Select(p => (p.Path, p.Code)).ShouldBe(
        [
            ("version", "out-of-range"),
            ("components[1].weight", "not-positive"),
            ("components[2].key", "required"),
            ("components[3].weight", "not-positive"),
            ("components[3].key", "not-applicable"),
            ("components[4].weight", "not-positive"),
            ("components[5]", "duplicate-component"),
            ("components[6].kind", "unknown-kind"),
            ("components[7]", "required"),
            ("components[8]", "duplicate-component"),
            ("minimumSample", "below-anonymity-floor"),
        ]);
    }

    [Fact]
    public void Given_no_components_When_validated_Then_required()
    {
        new ExperienceIndexDefinition(1, []).Validate().Single().Path.ShouldBe("components");
    }

    [Fact]
    public void Given_new_version_with_other_weights_When_compared_Then_it_is_a_different_definition()
    {
        var v1 = new ExperienceIndexDefinition(1, [IndexComponent.Nps(1)]);
        var v2 = v1 with { Version = 2, Components = [IndexComponent.Nps(1), IndexComponent.Csat(1)] };
        v2.Version.ShouldBe(2);
        v1.Components.Count.ShouldBe(1);
        v2.NormalisedWeights.ShouldBe([0.5, 0.5]);
    }
}
