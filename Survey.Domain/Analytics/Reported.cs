using System.Diagnostics.CodeAnalysis;

namespace Survey.Domain.Analytics;

/// <summary>Why a figure is not shown.</summary>
public enum ReportSuppressionReason
{
    /// <summary>Nothing to compute from: no answers, no invitations, no started responses.</summary>
    NoData,
    /// <summary>Fewer responses than the anonymity floor (<see cref="SampleRules.AnonymityFloor"/>); never shown, whatever the tenant configures.</summary>
    TooFewResponses,
    /// <summary>Fewer responses than the tenant's minimum sample: the figure would be too noisy to act on.</summary>
    InsufficientSample,
}

/// <summary>A reason and the numbers behind it, e.g. "12 responses, at least 30 needed".</summary>
public sealed record ReportSuppression(ReportSuppressionReason Reason, string Detail)
{
    /// <summary>Stable code: <c>no-data</c>, <c>too-few-responses</c> or <c>insufficient-sample</c>.</summary>
    public string Code => Reason switch
    {
        ReportSuppressionReason.NoData => "no-data",
        ReportSuppressionReason.TooFewResponses => "too-few-responses",
        ReportSuppressionReason.InsufficientSample => "insufficient-sample",
        _ => Reason.ToString(),
    };

    /// <summary>The reason as a reader sees it: "no data", "too few responses", "insufficient sample".</summary>
    public string Text => Code.Replace('-', ' ');

    public static ReportSuppression NoData(string detail) => new(ReportSuppressionReason.NoData, detail);

    public override string ToString() => $"{Code}: {Detail}";
}

/// <summary>
/// A figure that is either shown (<see cref="Value"/>) or suppressed (<see cref="Suppression"/>), never both.
/// Calculators return this instead of dividing by zero or publishing a figure that must not be seen.
/// </summary>
public sealed class Reported<T>
{
    private readonly T? _value;

    private Reported(T? value, ReportSuppression? suppression) => (_value, Suppression) = (value, suppression);

    public static Reported<T> Shown(T value) => new(value, null);

    public static Reported<T> Suppressed(ReportSuppression suppression) => new(default, suppression ?? throw new ArgumentNullException(nameof(suppression)));

    public ReportSuppression? Suppression { get; }

    [MemberNotNullWhen(false, nameof(Suppression))]
    public bool IsShown => Suppression is null;

    [MemberNotNullWhen(true, nameof(Suppression))]
    public bool IsSuppressed => Suppression is not null;

    /// <summary>The figure; asking a suppressed result for it is a programming error.</summary>
    public T Value => IsShown ? _value! : throw new InvalidOperationException($"The figure is suppressed ({Suppression}).");

    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return IsShown;
    }

    /// <summary>The same suppression for a derived figure, or the derived figure.</summary>
    public Reported<TResult> Map<TResult>(Func<T, TResult> map) =>
        IsShown ? Reported<TResult>.Shown(map(_value!)) : Reported<TResult>.Suppressed(Suppression);

    public override string ToString() => IsShown ? $"{_value}" : $"suppressed ({Suppression})";
}

public static class Reported
{
    public static Reported<T> Shown<T>(T value) => Reported<T>.Shown(value);
    public static Reported<T> NoData<T>(string detail) => Reported<T>.Suppressed(ReportSuppression.NoData(detail));
}
