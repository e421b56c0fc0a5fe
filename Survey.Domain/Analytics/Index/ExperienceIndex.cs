using Survey.Domain.Analytics.Metrics;
using Survey.Domain.Common;

namespace Survey.Domain.Analytics.Index;

/// <summary>
/// What a slice (a dealer in a period, a region...) answered: the number of responses, and the distribution of each question the
/// index may use. Attribute distributions are keyed by analytics key. Each distribution counts at most one answer per response.
/// </summary>
public sealed record IndexSlice(
    int Responses,
    ScoreDistribution? Nps = null,
    ScoreDistribution? Csat = null,
    ScoreDistribution? Ces = null,
    IReadOnlyDictionary<string, ScoreDistribution>? Attributes = null);

/// <summary>
/// One component as computed: its normalised weight, how many answered, its own figure (<see cref="Raw"/>: NPS −100..100 or the mean on
/// the question's scale) with its margin, and both rescaled to 0..100.
/// </summary>
public sealed record IndexComponentScore(
    IndexComponent Component,
    double Weight,
    int Answers,
    double Raw,
    double RawMarginOfError,
    double Score,
    double MarginOfError)
{
    /// <summary>Weight × score: what the component adds to the index.</summary>
    public double Contribution => Weight * Score;
}

/// <summary>The index of a slice on 0..100 with the definition version it was computed with, its sample size and 95% margin of error.</summary>
public sealed record ExperienceIndexResult(
    int Version,
    double Value,
    int SampleSize,
    double MarginOfError,
    IReadOnlyList<IndexComponentScore> Components);

/// <summary>
/// The experience index: Σ wᵢ·xᵢ over components rescaled to 0..100 (NPS: (NPS + 100) / 2; a mean on k..m: (mean − k) / (m − k) · 100)
/// with weights normalised to sum to 1.
/// </summary>
/// <remarks>
/// Margin of error: each component's 95% margin is rescaled like the component and combined as sqrt(Σ wᵢ²·MoEᵢ²), the margin of a
/// weighted sum of independent estimates. The components come from the same respondents and are usually positively correlated, so
/// this understates the true margin somewhat; Σ wᵢ·MoEᵢ (perfect correlation) is the upper bound. It is a guide to noise, not a test.
/// The index is all or nothing: when a component has no answers in the slice the index is "no data" rather than a figure made from a
/// different recipe.
/// </remarks>
public static class ExperienceIndex
{
    public static Reported<ExperienceIndexResult> Compute(ExperienceIndexDefinition definition, IndexSlice slice)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(slice);
        InvalidInputException.ThrowIfAny(definition.Validate());
        if (slice.Responses < 0) throw new ArgumentOutOfRangeException(nameof(slice), "A slice cannot have a negative number of responses.");

        if (definition.SampleRules.Check(slice.Responses) is { } suppression)
            return Reported<ExperienceIndexResult>.Suppressed(suppression);

        var weights = definition.NormalisedWeights;
        var scores = new List<IndexComponentScore>();
        var missing = new List<string>();
        for (var i = 0; i < definition.Components.Count; i++)
        {
            var component = definition.Components[i];
            var distribution = DistributionFor(component, slice);
            if (distribution is null || distribution.IsEmpty)
            {
                missing.Add(component.Name);
                continue;
            }
            if (distribution.N > slice.Responses)
                throw new ArgumentException($"'{component.Name}' has {distribution.N} answers in a slice of {slice.Responses} responses.", nameof(slice));
            scores.Add(Score(component, weights[i], distribution));
        }
        if (missing.Count > 0)
            return Reported.NoData<ExperienceIndexResult>($"No answers for {string.Join(", ", missing.Select(m => $"'{m}'"))} in this slice.");

        var value = scores.Sum(s => s.Contribution);
        var margin = Math.Sqrt(scores.Sum(s => s.Weight * s.Weight * s.MarginOfError * s.MarginOfError));
        return Reported.Shown(new ExperienceIndexResult(definition.Version, value, slice.Responses, margin, scores));
    }

    private static ScoreDistribution? DistributionFor(IndexComponent component, IndexSlice slice) => component.Kind switch
    {
        IndexComponentKind.Nps => Expect(slice.Nps, RatingScale.Nps, "NPS"),
        IndexComponentKind.Csat => Expect(slice.Csat, RatingScale.Csat, "CSAT"),
        IndexComponentKind.Ces => Expect(slice.Ces, RatingScale.Ces, "CES"),
        _ => slice.Attributes?.GetValueOrDefault(component.Key!),
    };

    private static ScoreDistribution? Expect(ScoreDistribution? distribution, RatingScale scale, string what) =>
        distribution is null || distribution.Scale == scale
            ? distribution
            : throw new ArgumentException($"{what} is answered on {scale}, not {distribution.Scale}.");

    private static IndexComponentScore Score(IndexComponent component, double weight, ScoreDistribution distribution)
    {
        if (component.Kind == IndexComponentKind.Nps)
        {
            var nps = Nps.From(distribution).Value;
            return new(component, weight, distribution.N, nps.Score, nps.MarginOfError, (nps.Score + 100) / 2, nps.MarginOfError / 2);
        }
        var summary = Ratings.Summarise(distribution).Value;
        return new(component, weight, distribution.N, summary.Mean, summary.MarginOfError, summary.MeanOutOfHundred, summary.MarginOfErrorOutOfHundred);
    }
}
