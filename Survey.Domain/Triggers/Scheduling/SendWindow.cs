namespace Survey.Domain.Triggers.Scheduling;

/// <summary>
/// When invitations may go out, in the recipient's local wall-clock time: from <paramref name="Start"/> up to (not including)
/// <paramref name="End"/>, on <paramref name="Days"/> (null = every day). An end before the start crosses midnight
/// (22:00-02:00), and the day is the day the window opens (Friday 22:00-02:00 includes Saturday 01:00). Start equal to end
/// is the whole day, which restricts by day of week alone.
/// </summary>
/// <remarks>
/// Daylight saving: a moment is inside when the clock on the wall reads a time inside the window. So the next send time is the
/// earliest instant, at or after the due time, whose local time is inside. On a spring-forward night an opening that does not
/// exist (02:30 in New York) opens when the clock jumps (03:00 EDT), and a window lying wholly in the gap is skipped that day;
/// on a fall-back night an opening that happens twice (01:30) opens at its first occurrence, and the repeated hour is inside
/// or outside on both passes alike.
/// </remarks>
public sealed record SendWindow(TimeOnly Start, TimeOnly End, IReadOnlyList<DayOfWeek>? Days = null)
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Step = TimeSpan.FromHours(1);

    public bool CrossesMidnight => End < Start;
    public bool IsWholeDay => Start == End;

    /// <summary>How long the window lasts in wall-clock time.</summary>
    public TimeSpan Length
    {
        get
        {
            var length = End.ToTimeSpan() - Start.ToTimeSpan();
            return length <= TimeSpan.Zero ? length + Day : length;
        }
    }

    public bool Allows(DayOfWeek day) => Days is null || Days.Contains(day);

    /// <summary>Whether a local wall-clock time falls inside the window (a window opened the evening before counts).</summary>
    public bool ContainsLocal(DateTime wallClock)
    {
        foreach (var day in new[] { wallClock.Date, wallClock.Date.AddDays(-1) })
        {
            if (!Allows(day.DayOfWeek)) continue;
            var opens = day + Start.ToTimeSpan();
            if (wallClock >= opens && wallClock < opens + Length) return true;
        }
        return false;
    }

    public bool Contains(DateTimeOffset instant, TimeZoneInfo zone) => ContainsLocal(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// <paramref name="due"/> when it falls inside the window in <paramref name="zone"/>, otherwise the earliest instant after it that does
    /// (the next opening). The result carries the zone's offset at that instant. No window: <paramref name="due"/>.
    /// </summary>
    public static DateTimeOffset NextSendTime(DateTimeOffset due, SendWindow? window, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(due, zone);
        if (window is null || window.ContainsLocal(local.DateTime)) return local;
        if (window.Days is { Count: 0 }) throw new ArgumentException("A send window needs at least one day.", nameof(window));

        var opening = window.NextOpening(local, zone)
            ?? throw new InvalidOperationException($"The window {window} never opens in {zone.Id}.");
        // The clock can also jump into the window: forward over a gap, or back into the repeated hour on a fall-back night.
        var jump = Transitions(zone, due, opening).Where(t => window.Contains(t, zone)).Cast<DateTimeOffset?>().FirstOrDefault();
        return TimeZoneInfo.ConvertTime(jump is { } j && j < opening ? j : opening, zone);
    }

    /// <summary>The earliest instant after <paramref name="after"/> at which the local clock reads the opening time on an allowed day.</summary>
    private DateTimeOffset? NextOpening(DateTimeOffset after, TimeZoneInfo zone)
    {
        var first = after.DateTime.Date.AddDays(-1);
        for (var i = 0; i <= 15; i++)
        {
            var day = first.AddDays(i);
            if (!Allows(day.DayOfWeek)) continue;
            var opens = day + Start.ToTimeSpan();
            DateTimeOffset? earliest = null;
            foreach (var instant in Instants(opens, zone))
                if (instant > after && (earliest is null || instant < earliest)) earliest = instant;
            if (earliest is not null) return earliest;
        }
        return null;
    }

    /// <summary>Every instant whose local time is <paramref name="wallClock"/>: none in a gap, two in an overlap.</summary>
    private static IEnumerable<DateTimeOffset> Instants(DateTime wallClock, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(wallClock)) return [];
        if (zone.IsAmbiguousTime(wallClock)) return zone.GetAmbiguousTimeOffsets(wallClock).Select(offset => new DateTimeOffset(wallClock, offset));
        return [new DateTimeOffset(wallClock, zone.GetUtcOffset(wallClock))];
    }

    /// <summary>The instants in (from, to) at which the zone's offset changes, each the first tick with the new offset.</summary>
    private static IEnumerable<DateTimeOffset> Transitions(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        for (var lo = from; lo < to; lo += Step)
        {
            var hi = lo + Step < to ? lo + Step : to;
            var before = zone.GetUtcOffset(lo);
            if (zone.GetUtcOffset(hi) == before) continue;
            var (a, b) = (lo, hi);
            while (b.UtcTicks - a.UtcTicks > 1)
            {
                var mid = a.AddTicks((b.UtcTicks - a.UtcTicks) / 2);
                if (zone.GetUtcOffset(mid) == before) a = mid; else b = mid;
            }
            yield return b;
        }
    }

    public override string ToString() =>
        $"{Start:HH\\:mm}-{End:HH\\:mm}{(Days is null ? "" : " " + string.Join(",", Days.Select(d => d.ToString()[..3])))}";

    public bool Equals(SendWindow? other) =>
        other is not null && Start == other.Start && End == other.End
        && (Days is null ? other.Days is null : other.Days is not null && Days.SequenceEqual(other.Days));

    public override int GetHashCode() => HashCode.Combine(Start, End, Days?.Count);
}
