namespace Survey.Domain.Analytics.Periods;

/// <summary>
/// Cuts time into reporting periods the way a tenant reads its calendar: in its time zone (IANA id, e.g. "Asia/Shanghai") and with
/// its first day of the week. A response at 2026-12-31T17:00Z is in January 2027 for a tenant in Shanghai (01:00 local time).
/// </summary>
/// <remarks>
/// A period begins at local midnight of its first day. Where the clock skips midnight (a daylight-saving jump at 00:00) it begins when
/// the clock jumps; where midnight happens twice it begins at the first one.
/// </remarks>
public sealed record PeriodCalendar(TimeZoneInfo Zone, DayOfWeek WeekStart = DayOfWeek.Monday)
{
    public static PeriodCalendar For(string timeZoneId, DayOfWeek weekStart = DayOfWeek.Monday) =>
        new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId), weekStart);

    /// <summary>The tenant's calendar date at <paramref name="instant"/>.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    public Period PeriodOf(DateTimeOffset instant, PeriodKind kind) => PeriodOf(LocalDate(instant), kind);

    public Period PeriodOf(DateOnly date, PeriodKind kind) => kind switch
    {
        PeriodKind.Week => new(kind, date.AddDays(-(((int)date.DayOfWeek - (int)WeekStart + 7) % 7))),
        PeriodKind.Month => new(kind, new DateOnly(date.Year, date.Month, 1)),
        PeriodKind.Quarter => new(kind, new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1)),
        PeriodKind.Year => new(kind, new DateOnly(date.Year, 1, 1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown period kind."),
    };

    /// <summary>
    /// The <paramref name="count"/> periods of a trend, oldest first, ending with the one that contains <paramref name="now"/> (still
    /// running) or, with <paramref name="includeCurrent"/> false, with the last complete one.
    /// </summary>
    public IReadOnlyList<Period> Last(int count, PeriodKind kind, DateTimeOffset now, bool includeCurrent = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var newest = PeriodOf(now, kind);
        if (!includeCurrent) newest = newest.Previous();
        return Enumerable.Range(0, count).Select(i => newest.Shift(i - count + 1)).ToList();
    }

    /// <summary>The instants a period covers: from its first local midnight up to (not including) the next period's.</summary>
    public (DateTimeOffset From, DateTimeOffset Until) Bounds(Period period) => (StartOf(period.Start), StartOf(period.End));

    public bool Contains(Period period, DateTimeOffset instant) => period.Contains(LocalDate(instant));

    /// <summary>Items of the last <paramref name="count"/> periods (see <see cref="Last"/>), grouped by period; older or later items are left out.</summary>
    public IReadOnlyList<PeriodBucket<T>> Bucket<T>(IEnumerable<T> items, Func<T, DateTimeOffset> at, PeriodKind kind, int count, DateTimeOffset now, bool includeCurrent = true)
    {
        var periods = Last(count, kind, now, includeCurrent);
        var byPeriod = periods.ToDictionary(p => p, _ => new List<T>());
        foreach (var item in items)
            if (byPeriod.TryGetValue(PeriodOf(at(item), kind), out var list)) list.Add(item);
        return periods.Select(p => new PeriodBucket<T>(p, byPeriod[p])).ToList();
    }

    /// <summary>The instant at which <paramref name="date"/> begins in the zone.</summary>
    public DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        while (Zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }
}
