using Survey.Domain.Common;

namespace Survey.Domain.Analytics.Index;

/// <summary>What a component of the index measures: the slice's NPS, CSAT or CES question, or an attribute question by its analytics key.</summary>
public enum IndexComponentKind { Nps, Csat, Ces, Attribute }

/// <summary>
/// One ingredient of the experience index and its weight (any positive number; weights are normalised to sum to 1).
/// <paramref name="Key"/> is the stable analytics key of an attribute question (e.g. "lounge") and is left out for NPS, CSAT and CES.
/// </summary>
public sealed record IndexComponent(IndexComponentKind Kind, double Weight, string? Key = null)
{
    public const int MaxKeyLength = 100;

    public static IndexComponent Nps(double weight) => new(IndexComponentKind.Nps, weight);
    public static IndexComponent Csat(double weight) => new(IndexComponentKind.Csat, weight);
    public static IndexComponent Ces(double weight) => new(IndexComponentKind.Ces, weight);
    public static IndexComponent Attribute(string key, double weight) => new(IndexComponentKind.Attribute, weight, key);

    /// <summary>"nps", "csat", "ces" or the attribute's key.</summary>
    public string Name => Kind == IndexComponentKind.Attribute ? Key ?? "" : Kind.ToString().ToLowerInvariant();
}

/// <summary>
/// A tenant's experience index, version <paramref name="Version"/>: weighted components, each rescaled to 0..100, and the minimum
/// sample below which the index is suppressed (never below <see cref="SampleRules.AnonymityFloor"/>). A changed recipe is a new
/// version, so that figures computed with different recipes are never compared as if they were one series.
/// </summary>
public sealed record ExperienceIndexDefinition(int Version, IReadOnlyList<IndexComponent> Components, int MinimumSample = SampleRules.DefaultMinimumSample)
{
    public SampleRules SampleRules => new(MinimumSample);

    /// <summary>Every problem, each with its path (<c>components[2].weight</c>), not just the first.</summary>
    public IReadOnlyList<InputProblem> Validate()
    {
        var problems = new List<InputProblem>();
        if (Version < 1)
            problems.Add(new("version", "out-of-range", "Versions are numbered from 1."));

        var components = Components ?? [];
        if (components.Count == 0)
            problems.Add(new("components", "required", "An index needs at least one component."));
        var seen = new HashSet<(IndexComponentKind, string)>();
        for (var i = 0; i < components.Count; i++)
        {
            var path = $"components[{i}]";
            if (components[i] is not { } c)
            {
                problems.Add(new(path, "required", "Every component needs a kind and a weight."));
                continue;
            }
            if (!Enum.IsDefined(c.Kind))
                problems.Add(new($"{path}.kind", "unknown-kind", $"A component is one of {string.Join(", ", Enum.GetNames<IndexComponentKind>())}."));
            if (!double.IsFinite(c.Weight) || c.Weight <= 0)
                problems.Add(new($"{path}.weight", "not-positive", "A weight is a positive number."));

            if (c.Kind == IndexComponentKind.Attribute)
            {
                if (string.IsNullOrWhiteSpace(c.Key))
                    problems.Add(new($"{path}.key", "required", "Name the attribute question by its analytics key, e.g. \"lounge\"."));
                else if (c.Key.Length > IndexComponent.MaxKeyLength)
                    problems.Add(new($"{path}.key", "too-long", $"A key holds at most {IndexComponent.MaxKeyLength} characters."));
            }
            else if (c.Key is not null)
                problems.Add(new($"{path}.key", "not-applicable", $"A {c.Kind} component takes no key; it uses the slice's {c.Kind} question."));

            if (!seen.Add((c.Kind, c.Key ?? "")))
                problems.Add(new(path, "duplicate-component", $"'{c.Name}' is already a component."));
        }
        problems.AddRange(SampleRules.Validate());
        return problems;
    }

    /// <summary>The weights scaled to sum to 1, in component order.</summary>
    public IReadOnlyList<double> NormalisedWeights
    {
        get
        {
            var total = Components.Sum(c => c.Weight);
            return Components.Select(c => c.Weight / total).ToList();
        }
    }
}
