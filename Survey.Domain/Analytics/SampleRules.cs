using Survey.Domain.Common;

namespace Survey.Domain.Analytics;

/// <summary>
/// When a figure for a slice (a dealer, a region, a period) may be shown. Below <see cref="AnonymityFloor"/> responses it is
/// never shown, so that nobody can work out what a handful of known customers answered; below the tenant's
/// <paramref name="MinimumSample"/> it is suppressed as too noisy. The floor is fixed, the minimum is configured.
/// </summary>
public sealed record SampleRules(int MinimumSample = SampleRules.DefaultMinimumSample)
{
    public const int AnonymityFloor = 5;
    public const int DefaultMinimumSample = 30;

    public static readonly SampleRules Default = new();

    /// <summary>Null when <paramref name="responses"/> may be shown, otherwise why not.</summary>
    public ReportSuppression? Check(int responses)
    {
        if (responses <= 0)
            return ReportSuppression.NoData("No responses in this slice.");
        if (responses < AnonymityFloor)
            return new(ReportSuppressionReason.TooFewResponses, $"{responses} responses; figures are never shown below {AnonymityFloor}.");
        if (responses < MinimumSample)
            return new(ReportSuppressionReason.InsufficientSample, $"{responses} responses; at least {MinimumSample} are needed.");
        return null;
    }

    public IReadOnlyList<InputProblem> Validate(string path = "minimumSample") =>
        MinimumSample < AnonymityFloor
            ? [new(path, "below-anonymity-floor", $"The minimum sample is at least {AnonymityFloor}, the anonymity floor.")]
            : [];
}
