using System.Globalization;
using Survey.Domain.Operations;

namespace Survey.Domain.Triggers.Matching;

/// <summary>
/// One reason an event does not fire a trigger: <c>not-published</c>, <c>archived</c>, <c>paused</c>, <c>event-type</c>,
/// <c>filter</c> (with the condition's path, e.g. <c>filter[1]</c>), <c>not-yet-active</c> or <c>no-longer-active</c>.
/// </summary>
public sealed record MatchFailure(string Code, string Path, string Message);

public sealed record MatchResult(IReadOnlyList<MatchFailure> Failures)
{
    public bool Matched => Failures.Count == 0;
}

/// <summary>
/// Whether an operational event fires a trigger's published version: the event type, every filter condition, the active period
/// (by when the event happened) and not paused. Every failing check is reported.
/// </summary>
public static class TriggerMatching
{
    public static bool Matches(Trigger trigger, OperationalEvent e, Dealer? dealer, string? regionCode) => Match(trigger, e, dealer, regionCode).Matched;

    /// <param name="regionCode">The dealer's region; when null, the dealer's own <see cref="Dealer.RegionCode"/>.</param>
    public static MatchResult Match(Trigger trigger, OperationalEvent e, Dealer? dealer, string? regionCode)
    {
        if (trigger.Archived) return new([new("archived", "", "The trigger is archived.")]);
        if (trigger.LatestPublished is not { } d) return new([new("not-published", "", "The trigger has no published version yet.")]);

        var failures = new List<MatchFailure>();
        if (trigger.Paused) failures.Add(new("paused", "", "The trigger is paused."));
        if (!string.Equals(e.Type, d.EventType, StringComparison.OrdinalIgnoreCase))
            failures.Add(new("event-type", "eventType", $"The event is '{e.Type}', the trigger listens for '{d.EventType}'."));

        var subject = new FilterSubject(e, dealer, regionCode);
        var filter = d.Filter ?? [];
        for (var i = 0; i < filter.Count; i++)
        {
            var actual = subject.Value(filter[i].Field);
            if (!TriggerFilter.Holds(filter[i], actual))
                failures.Add(new("filter", $"filter[{i}]", $"'{filter[i]}' does not hold: {filter[i].Field} is {(actual is null ? "missing" : $"'{actual}'")}."));
        }

        if (d.ActivePeriod is { From: { } from } && e.OccurredAt < from)
            failures.Add(new("not-yet-active", "activePeriod.from", $"The event happened {Utc(e.OccurredAt)}, before the trigger's active period began ({Utc(from)})."));
        if (d.ActivePeriod is { To: { } to } && e.OccurredAt >= to)
            failures.Add(new("no-longer-active", "activePeriod.to", $"The event happened {Utc(e.OccurredAt)}, after the trigger's active period ended ({Utc(to)})."));
        return new(failures);
    }

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
