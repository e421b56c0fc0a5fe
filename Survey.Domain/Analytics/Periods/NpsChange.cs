using Survey.Domain.Analytics.Metrics;

namespace Survey.Domain.Analytics.Periods;

public enum NpsMovement { NoSignificantChange, Improved, Declined }

/// <summary>
/// The change of NPS from one period to the next and whether it is more than noise: a two-sample z test on the per-respondent score
/// (+1 promoter, 0 passive, −1 detractor), z = Δ / sqrt(var₁/n₁ + var₂/n₂), significant at 95% when |z| ≥ 1.96.
/// </summary>
/// <param name="StandardError">sqrt(var₁/n₁ + var₂/n₂) in NPS points.</param>
/// <param name="Z">Null when both periods are unanimous (standard error 0): then any change at all is significant, and none is not.</param>
public sealed record NpsChange(double Previous, double Current, double Delta, double StandardError, double? Z, bool Significant)
{
    public NpsMovement Movement => !Significant ? NpsMovement.NoSignificantChange : Delta > 0 ? NpsMovement.Improved : NpsMovement.Declined;

    public static NpsChange Between(NpsResult previous, NpsResult current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var delta = current.Score - previous.Score;
        var standardError = 100 * Math.Sqrt(previous.Variance / previous.Respondents + current.Variance / current.Respondents);
        if (standardError < 1e-9)
            return new(previous.Score, current.Score, delta, 0, null, Math.Abs(delta) > 1e-9);
        var z = delta / standardError;
        return new(previous.Score, current.Score, delta, standardError, z, Math.Abs(z) >= Confidence.Z95);
    }

    /// <summary>The change when both periods have answers, otherwise the first period's reason.</summary>
    public static Reported<NpsChange> Between(Reported<NpsResult> previous, Reported<NpsResult> current)
    {
        if (previous.IsSuppressed) return Reported<NpsChange>.Suppressed(previous.Suppression);
        if (current.IsSuppressed) return Reported<NpsChange>.Suppressed(current.Suppression);
        return Reported.Shown(Between(previous.Value, current.Value));
    }
}
