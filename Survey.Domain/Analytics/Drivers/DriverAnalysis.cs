using Survey.Domain.Analytics.Metrics;

namespace Survey.Domain.Analytics.Drivers;

/// <summary>An attribute question ("lounge", "advisor_explained") by its analytics key, and its scale.</summary>
public sealed record DriverAttribute(string Key, RatingScale Scale);

/// <summary>One respondent: the NPS answer (0-10) and the attribute answers they gave, by key; unanswered attributes are left out.</summary>
public sealed record DriverRespondent(int Nps, IReadOnlyDictionary<string, int> Attributes);

public enum DriverMethod
{
    /// <summary>Shapley decomposition of the R² of NPS regressed on all attributes.</summary>
    ShapleyR2,
    /// <summary>Squared correlations with NPS, normalised to sum to 1: the fallback when the sample is too small for the regression.</summary>
    SquaredCorrelations,
}

/// <summary>
/// One driver: <see cref="Correlation"/> (Pearson r with NPS, over the respondents who answered it), <see cref="Importance"/> (its
/// share of what the drivers explain, 0..1, summing to 1 over drivers), <see cref="RSquaredContribution"/> (its Shapley part of R²,
/// only with <see cref="DriverMethod.ShapleyR2"/>), <see cref="Performance"/> (the mean answer rescaled to 0..100) and its quadrant
/// (none when nobody answered it).
/// </summary>
public sealed record DriverResult(
    string Key,
    int Answers,
    double Correlation,
    double Importance,
    double? RSquaredContribution,
    Reported<double> Performance,
    DriverQuadrant? Quadrant)
{
    public string? QuadrantLabel => Quadrant?.Label();
}

/// <param name="MethodNote">Why this method: e.g. "40 complete responses for 3 attributes" or "19 complete responses; at least 20 needed".</param>
/// <param name="CompleteResponses">Respondents who answered NPS and every attribute: the rows of the regression.</param>
/// <param name="RSquared">R² of the full regression; null with the fallback.</param>
public sealed record DriverAnalysisResult(
    DriverMethod Method,
    string MethodNote,
    int CompleteResponses,
    double? RSquared,
    IReadOnlyList<DriverResult> Drivers);

/// <summary>
/// Which attributes move NPS. Importance comes from a Shapley decomposition of the R² of an OLS regression of the NPS answer on the
/// attribute answers, when the sample allows it: at least 10 complete responses per attribute and at most 8 attributes (2⁸ subset
/// regressions). Otherwise, or when the attributes are constant or collinear, each attribute's squared correlation with NPS,
/// normalised to sum to 1; <see cref="DriverAnalysisResult.Method"/> says which was used and why.
/// </summary>
/// <remarks>
/// The regression uses complete responses only (listwise); correlations and performance use everyone who answered the attribute
/// (pairwise). An attribute that does not vary, or is answered by fewer than two, has correlation 0: it explains nothing here.
/// </remarks>
public static class DriverAnalysis
{
    public const int ResponsesPerAttribute = 10;

    public static DriverAnalysisResult Analyse(IReadOnlyList<DriverAttribute> attributes, IReadOnlyList<DriverRespondent> respondents)
    {
        Check(attributes, respondents);
        var k = attributes.Count;
        var correlations = attributes.Select(a => Correlation(a.Key, respondents)).ToArray();
        var performance = attributes.Select(a => Performance(a, respondents)).ToArray();

        var complete = respondents.Where(r => attributes.All(a => r.Attributes.ContainsKey(a.Key))).ToList();
        var needed = ResponsesPerAttribute * k;
        ShapleyDecomposition? shapley = null;
        string note;
        if (k == 0) note = "No attributes to analyse.";
        else if (k > ShapleyR2.MaxPredictors) note = $"{k} attributes; the regression takes at most {ShapleyR2.MaxPredictors}.";
        else if (complete.Count < needed) note = $"{complete.Count} complete responses for {k} attributes; at least {needed} are needed for the regression.";
        else
        {
            shapley = ShapleyR2.Decompose(
                complete.Select(r => (IReadOnlyList<double>)attributes.Select(a => (double)r.Attributes[a.Key]).ToArray()).ToList(),
                complete.Select(r => (double)r.Nps).ToList());
            note = shapley is null
                ? "Some attributes are constant or move together exactly; the regression cannot separate them."
                : $"{complete.Count} complete responses for {k} attributes.";
        }

        double[] importance, contributions;
        if (shapley is not null)
        {
            contributions = shapley.Contributions.ToArray();
            importance = Shares(contributions);
        }
        else
        {
            contributions = [];
            importance = Shares(correlations.Select(r => r * r).ToArray());
        }

        var shown = Enumerable.Range(0, k).Where(i => performance[i].IsShown).ToList();
        var quadrants = PriorityMatrix.Classify(shown.Select(i => (importance[i], performance[i].Value)).ToList());
        var quadrantOf = shown.Select((i, q) => (i, q)).ToDictionary(x => x.i, x => quadrants[x.q]);

        var drivers = attributes.Select((a, i) => new DriverResult(
            a.Key,
            respondents.Count(r => r.Attributes.ContainsKey(a.Key)),
            correlations[i],
            importance[i],
            shapley is null ? null : contributions[i],
            performance[i],
            quadrantOf.TryGetValue(i, out var q) ? q : null)).ToList();

        return new DriverAnalysisResult(
            shapley is null ? DriverMethod.SquaredCorrelations : DriverMethod.ShapleyR2,
            note, complete.Count, shapley?.RSquared, drivers);
    }

    /// <summary>Pearson r between the NPS answer and the attribute, over respondents who answered the attribute; 0 when either does not vary.</summary>
    public static double Correlation(string key, IEnumerable<DriverRespondent> respondents)
    {
        var pairs = respondents.Where(r => r.Attributes.ContainsKey(key)).Select(r => (X: (double)r.Attributes[key], Y: (double)r.Nps)).ToList();
        if (pairs.Count < 2) return 0;
        double mx = pairs.Average(p => p.X), my = pairs.Average(p => p.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in pairs)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        return sxx <= 0 || syy <= 0 ? 0 : Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }

    /// <summary>The mean answer to the attribute rescaled to 0..100 on its scale; "no data" when nobody answered.</summary>
    public static Reported<double> Performance(DriverAttribute attribute, IEnumerable<DriverRespondent> respondents) =>
        Ratings.Summarise(Distribution(attribute, respondents)).Map(s => s.MeanOutOfHundred);

    internal static ScoreDistribution Distribution(DriverAttribute attribute, IEnumerable<DriverRespondent> respondents) =>
        ScoreDistribution.Of(attribute.Scale, respondents.Where(r => r.Attributes.ContainsKey(attribute.Key)).Select(r => r.Attributes[attribute.Key]));

    private static double[] Shares(double[] parts)
    {
        var total = parts.Sum();
        return total <= 1e-12 ? new double[parts.Length] : parts.Select(p => p / total).ToArray();
    }

    private static void Check(IReadOnlyList<DriverAttribute> attributes, IReadOnlyList<DriverRespondent> respondents)
    {
        foreach (var duplicate in attributes.GroupBy(a => a.Key).Where(g => g.Count() > 1))
            throw new ArgumentException($"Attribute '{duplicate.Key}' is listed twice.", nameof(attributes));
        foreach (var r in respondents)
        {
            if (!RatingScale.Nps.Contains(r.Nps)) throw new ArgumentOutOfRangeException(nameof(respondents), r.Nps, "An NPS answer runs from 0 to 10.");
            foreach (var a in attributes)
                if (r.Attributes.TryGetValue(a.Key, out var score) && !a.Scale.Contains(score))
                    throw new ArgumentOutOfRangeException(nameof(respondents), score, $"'{a.Key}' is answered on {a.Scale}.");
        }
    }
}
