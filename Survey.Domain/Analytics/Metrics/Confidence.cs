namespace Survey.Domain.Analytics.Metrics;

/// <summary>
/// The normal approximation used for every interval and test in analytics: 95% two-sided, z = 1.96. Variances are the plug-in
/// (population, divided by n) variances of the answers, as in the textbook NPS formula; at the sample sizes that are shown
/// (30 and more) the n−1 version differs by under 2%.
/// </summary>
public static class Confidence
{
    public const double Z95 = 1.96;

    /// <summary>Half-width of the 95% interval of a mean whose answers have plug-in <paramref name="variance"/>.</summary>
    public static double MarginOfError(double variance, int n) => n <= 0 ? 0 : Z95 * Math.Sqrt(Math.Max(variance, 0) / n);

    /// <summary>Half-width of the 95% interval of a proportion <paramref name="p"/> (0..1), in percentage points.</summary>
    public static double ProportionMarginOfError(double p, int n) => 100 * MarginOfError(p * (1 - p), n);
}
