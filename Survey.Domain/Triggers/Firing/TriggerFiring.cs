using System.Globalization;
using Survey.Domain.Operations;
using Survey.Domain.Triggers.Matching;
using Survey.Domain.Triggers.Scheduling;

namespace Survey.Domain.Triggers.Firing;

/// <summary>What an operational event does with a trigger.</summary>
public abstract record FiringDecision
{
    /// <summary>
    /// Invite: send at <paramref name="DueAt"/> (delay, then send window in <paramref name="TimeZone"/>) through
    /// <paramref name="ChannelOrder"/> (usable channels only, first = chosen), expire at <paramref name="ExpiresAt"/>, and remind once at
    /// <paramref name="ReminderAt"/> if <paramref name="ReminderIf"/> still holds (null when no reminder fits before expiry).
    /// </summary>
    public sealed record Scheduled(
        Guid TriggerId, int TriggerVersion, Guid QuestionnaireId, DateTimeOffset DueAt, IReadOnlyList<Channel> ChannelOrder,
        IReadOnlyList<SkippedChannel> SkippedChannels, DateTimeOffset ExpiresAt, DateTimeOffset? ReminderAt, ReminderCondition? ReminderIf,
        string TimeZone) : FiringDecision;

    /// <summary>The trigger applies, but the customer is not asked (record it so a marketer can see why).</summary>
    public sealed record Suppressed(Guid TriggerId, int TriggerVersion, Suppression Suppression) : FiringDecision;

    /// <summary>The trigger does not apply to this event (type or filter differ, not published, archived): nothing to record.</summary>
    public sealed record NotMatched(IReadOnlyList<MatchFailure> Reasons) : FiringDecision;
}

/// <summary>The tenant's settings that firing needs: fatigue rules and the zone of last resort for send windows.</summary>
public sealed record TenantFiringRules(FatigueRules Fatigue, string TimeZone);

/// <summary>
/// Combines matching, the active period and pause, lateness, fatigue (opt-out, open case, recent invitation), channel choice and
/// sampling into one decision, in that order; the first reason found is the one reported.
/// </summary>
public static class TriggerFiring
{
    public static FiringDecision Decide(
        Trigger trigger, OperationalEvent e, Customer customer, Dealer? dealer, string? regionCode,
        TenantFiringRules tenant, CustomerContactHistory history, DateTimeOffset now)
    {
        if (!string.Equals(customer.ExternalId, e.CustomerExternalId, StringComparison.Ordinal))
            throw new ArgumentException($"The customer {customer.ExternalId} is not the event's ({e.CustomerExternalId}).", nameof(customer));

        var match = TriggerMatching.Match(trigger, e, dealer, regionCode);
        if (match.Failures.Any(f => f.Code is not ("paused" or "not-yet-active" or "no-longer-active")))
            return new FiringDecision.NotMatched(match.Failures);

        var d = trigger.LatestPublished!;
        var version = trigger.LatestPublishedVersion!.Value;
        FiringDecision Suppress(SuppressionReason reason, string detail) => new FiringDecision.Suppressed(trigger.Id, version, new(reason, detail));

        if (match.Failures.FirstOrDefault(f => f.Code == "paused") is { } paused)
            return Suppress(SuppressionReason.Paused, paused.Message);
        if (match.Failures.FirstOrDefault() is { } inactive)
            return Suppress(SuppressionReason.OutsideActivePeriod, inactive.Message);

        var eventDue = e.OccurredAt + d.Delay;
        if (now >= eventDue + d.InvitationExpiry)
            return Suppress(SuppressionReason.TooLate, string.Create(CultureInfo.InvariantCulture,
                $"The event happened {(now - e.OccurredAt).TotalDays:0.#} days ago; with a delay of {d.Delay.TotalHours:0.#} h the invitation would have expired already."));

        if (Fatigue.Check(tenant.Fatigue, customer, history, now) is { } fatigue)
            return new FiringDecision.Suppressed(trigger.Id, version, fatigue);

        var channels = ChannelSelection.Choose(d.Channels, customer);
        if (channels.First is null)
            return Suppress(SuppressionReason.NoUsableChannel,
                "No channel can be used: " + string.Join(", ", channels.Skipped.Select(s => $"{s.Channel} ({s.Reason})")) + ".");

        if (!Sampling.Includes(d.SamplingRate, Sampling.Seed(trigger.Id, e.ExternalId)))
            return Suppress(SuppressionReason.SampledOut, string.Create(CultureInfo.InvariantCulture, $"Not drawn into the {d.SamplingRate}% sample."));

        var zone = TimeZones.Resolve(customer.TimeZone, dealer?.TimeZone, tenant.TimeZone);
        var dueAt = SendWindow.NextSendTime(eventDue > now ? eventDue : now, d.SendWindow, zone.Zone);
        var expiresAt = dueAt + d.InvitationExpiry;
        DateTimeOffset? reminderAt = null;
        if (d.Reminder is { } reminder)
        {
            var at = SendWindow.NextSendTime(dueAt + reminder.After, d.SendWindow, zone.Zone);
            if (at < expiresAt) reminderAt = at;
        }
        return new FiringDecision.Scheduled(trigger.Id, version, d.QuestionnaireId, dueAt, channels.Usable, channels.Skipped,
            expiresAt, reminderAt, reminderAt is null ? null : d.Reminder!.If, zone.Zone.Id);
    }
}
