using System.Globalization;

namespace Survey.Domain.Analytics.Periods;

public enum PeriodKind { Week, Month, Quarter, Year }

/// <summary>
/// A reporting period as local calendar dates in the tenant's zone: from <see cref="Start"/> up to (not including) <see cref="End"/>.
/// A week starts on the tenant's week start, so it is named by its first day ("week of 2025-12-29"), and may straddle a year end.
/// </summary>
public sealed record Period(PeriodKind Kind, DateOnly Start)
{
    /// <summary>A month, quarter or year starts on its first day; a week on any day (the tenant's week start).</summary>
    public DateOnly Start { get; init; } = Kind switch
    {
        PeriodKind.Week => Start,
        PeriodKind.Month when Start.Day == 1 => Start,
        PeriodKind.Quarter when Start.Day == 1 && Start.Month % 3 == 1 => Start,
        PeriodKind.Year when Start.Day == 1 && Start.Month == 1 => Start,
        PeriodKind.Month or PeriodKind.Quarter or PeriodKind.Year =>
            throw new ArgumentException($"A {Kind.ToString().ToLowerInvariant()} starts on its first day, not {Start:yyyy-MM-dd}.", nameof(Start)),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown period kind."),
    };

    public DateOnly End => Next().Start;

    public Period Next() => Shift(1);

    public Period Previous() => Shift(-1);

    public Period Shift(int periods) => this with
    {
        Start = Kind switch
        {
            PeriodKind.Week => Start.AddDays(7 * periods),
            PeriodKind.Month => Start.AddMonths(periods),
            PeriodKind.Quarter => Start.AddMonths(3 * periods),
            PeriodKind.Year => Start.AddYears(periods),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown period kind."),
        },
    };

    public bool Contains(DateOnly date) => date >= Start && date < End;

    /// <summary>"week of 2025-12-29", "2026-01", "2026-Q1", "2026".</summary>
    public string Label => Kind switch
    {
        PeriodKind.Week => $"week of {Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        PeriodKind.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => $"{Start.Year}-Q{(Start.Month - 1) / 3 + 1}",
        _ => Start.Year.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() => Label;
}

/// <summary>The items of one period, e.g. the NPS scores of a month.</summary>
public sealed record PeriodBucket<T>(Period Period, IReadOnlyList<T> Items);
