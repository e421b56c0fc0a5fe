using Survey.Domain.Analytics.Drivers;
using Survey.Domain.Analytics.Metrics;

namespace Survey.Tests.Domain.Analytics;

/// <summary>Small designed data sets whose regressions can be worked out by hand.</summary>
public static class DriverSamples
{
    public static readonly RatingScale OneToFive = new(1, 5);

    public static DriverRespondent Respondent(int nps, params (string Key, int Score)[] answers) =>
        new(nps, answers.ToDictionary(a => a.Key, a => a.Score));

    /// <summary>
    /// Two uncorrelated attributes, 20 respondents: "advisor" ∈ {2, 4} and "lounge" ∈ {1, 3}, each of the 4 combinations 5 times,
    /// NPS = advisor + 2·lounge − 1 + e with e = −1, 0, 0, 0, +1 in every cell (e is uncorrelated with both).
    /// Sums of squares about the means: advisor's effect 20·1² = 20, lounge's 20·2² = 80, noise 4·2 = 8, total 108.
    /// So r²(advisor) = 20/108, r²(lounge) = 80/108, R² = 100/108.
    /// </summary>
    public static IReadOnlyList<DriverRespondent> Orthogonal(params int[] noise)
    {
        noise = noise.Length == 0 ? [-1, 0, 0, 0, 1] : noise;
        return (from advisor in new[] { 2, 4 }
                from lounge in new[] { 1, 3 }
                from e in noise
                select Respondent(advisor + 2 * lounge - 1 + e, ("advisor", advisor), ("lounge", lounge))).ToList();
    }

    public static readonly DriverAttribute[] OrthogonalAttributes = [new("advisor", OneToFive), new("lounge", OneToFive)];

    /// <summary>
    /// Three attributes, 32 respondents. In coded units (±1, variance 1): c1 and c3 agree on 6 of 8 patterns ((1,1)×3, (−1,−1)×3,
    /// (1,−1), (−1,1)), so r13 = (6 − 2)/8 = 0.5; c2 = ±1 is crossed with every pattern (uncorrelated with c1, c3); the noise e = ±1
    /// is crossed with everything. NPS = 5 + 2·c1 + c2 + c3 + e.
    /// "advisor" = 3 + c1 (mean 3 → 50), "lounge" = 4 + c2 (mean 4 → 75), "handover" = 2 + c3 (mean 2 → 25).
    /// </summary>
    public static IReadOnlyList<DriverRespondent> Correlated() =>
        (from pattern in new[] { (1, 1, 3), (-1, -1, 3), (1, -1, 1), (-1, 1, 1) }
         from copy in Enumerable.Range(0, pattern.Item3)
         from c2 in new[] { 1, -1 }
         from e in new[] { 1, -1 }
         let c1 = pattern.Item1
         let c3 = pattern.Item2
         select Respondent(5 + 2 * c1 + c2 + c3 + e, ("advisor", 3 + c1), ("lounge", 4 + c2), ("handover", 2 + c3))).ToList();

    public static readonly DriverAttribute[] CorrelatedAttributes = [new("advisor", OneToFive), new("lounge", OneToFive), new("handover", OneToFive)];

    public static IReadOnlyList<IReadOnlyList<double>> Rows(IEnumerable<DriverRespondent> respondents, IEnumerable<DriverAttribute> attributes) =>
        respondents.Select(r => (IReadOnlyList<double>)attributes.Select(a => (double)r.Attributes[a.Key]).ToArray()).ToList();

    public static IReadOnlyList<double> Outcomes(IEnumerable<DriverRespondent> respondents) => respondents.Select(r => (double)r.Nps).ToList();
}
