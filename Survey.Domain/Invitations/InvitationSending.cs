using Survey.Domain.Common;

namespace Survey.Domain.Invitations;

public enum InvitationStatus { Created, Scheduled, Sending, Sent, Delivered, Failed, Uncertain, Responded, Expired, Suppressed }

public sealed record SendAttempt(string Channel, int Number, DateTimeOffset At);

/// <summary>One line of an invitation's timeline as a marketer sees it.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string What, string? Channel, string? Detail);

/// <summary>A trigger fired: the invitation waits for <paramref name="DueAt"/> (delay and send window applied).</summary>
public sealed record InvitationScheduled(
    Guid InvitationId, Guid TriggerId, int TriggerVersion, string EventExternalId, string CustomerExternalId, string? DealerCode,
    Guid QuestionnaireId, int QuestionnaireVersion, IReadOnlyList<string> ChannelOrder, DateTimeOffset DueAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? ReminderAt, DateTimeOffset ScheduledAt, string? ReminderIf = null);

/// <summary>A trigger matched but the customer was not asked, and why (fatigue, opt-out, no usable channel, sampled out...).</summary>
public sealed record InvitationSuppressed(Guid InvitationId, Guid TriggerId, string EventExternalId, string CustomerExternalId, string Reason, DateTimeOffset SuppressedAt);

/// <summary>Recorded before the provider is called, so a crash never leads to a blind second send on the same channel.</summary>
public sealed record InvitationSendAttempted(Guid InvitationId, string Channel, int Attempt, DateTimeOffset AttemptedAt);
public sealed record InvitationSent(Guid InvitationId, string Channel, string? ProviderMessageId, DateTimeOffset SentAt);
public sealed record InvitationSendFailed(Guid InvitationId, string Channel, bool Permanent, string Error, DateTimeOffset FailedAt);
/// <summary>The provider may or may not have the message (connection lost mid-send, or a crash after the attempt): not resent.</summary>
public sealed record InvitationSendUncertain(Guid InvitationId, string Channel, string Reason, DateTimeOffset At);
public sealed record InvitationDelivered(Guid InvitationId, string Channel, DateTimeOffset DeliveredAt);
public sealed record InvitationDeliveryFailed(Guid InvitationId, string Channel, string? ErrorCode, DateTimeOffset FailedAt);
public sealed record InvitationOpened(Guid InvitationId, DateTimeOffset OpenedAt);
public sealed record InvitationExpired(Guid InvitationId, DateTimeOffset ExpiredAt);
/// <summary>Recorded before the reminder goes out: a crash loses a reminder rather than sending two.</summary>
public sealed record InvitationReminded(Guid InvitationId, string Channel, DateTimeOffset RemindedAt);

/// <summary>What the dispatcher should do with a due invitation.</summary>
public abstract record SendDecision
{
    public sealed record Attempt(string Channel, InvitationSendAttempted Event) : SendDecision;
    public sealed record Nothing(string Why, object[] Events) : SendDecision;
}

/// <summary>
/// Sending rules. One attempt at a time, recorded first; an attempt found without an outcome (the process died after recording
/// it) is resolved as uncertain, never retried blindly; a permanent failure falls back to the next channel; transient failures
/// retry the same channel up to <see cref="MaxAttemptsPerChannel"/>.
/// </summary>
public static class InvitationSending
{
    public const int MaxAttemptsPerChannel = 4;

    public static SendDecision Next(Invitation state, DateTimeOffset now)
    {
        if (state.Status is InvitationStatus.Responded or InvitationStatus.Suppressed or InvitationStatus.Expired or InvitationStatus.Sent
            or InvitationStatus.Delivered or InvitationStatus.Uncertain or InvitationStatus.Failed)
            return new SendDecision.Nothing($"already {state.Status.ToString().ToLowerInvariant()}", []);
        if (now >= state.ExpiresAt)
            return new SendDecision.Nothing("expired before it could be sent", [new InvitationExpired(state.Id, now)]);
        if (state.PendingAttempt is { } pending)
            return new SendDecision.Nothing("an earlier attempt has no known outcome",
                [new InvitationSendUncertain(state.Id, pending.Channel, "the sender stopped after recording the attempt", now)]);

        var channel = state.ChannelOrder.FirstOrDefault(c => !state.FailedChannels.Contains(c));
        if (channel is null)
            return new SendDecision.Nothing("every channel failed", []);
        var attempts = state.Timeline.Count(t => t.What == "attempted" && t.Channel == channel);
        if (attempts >= MaxAttemptsPerChannel)
            return new SendDecision.Nothing("too many attempts", [new InvitationSendFailed(state.Id, channel, true, $"gave up after {attempts} attempts", now)]);
        return new SendDecision.Attempt(channel, new InvitationSendAttempted(state.Id, channel, attempts + 1, now));
    }

    public static Invitation From(InvitationScheduled e) =>
        new(e.InvitationId, e.QuestionnaireId, e.QuestionnaireVersion, e.ChannelOrder.FirstOrDefault() ?? "email", e.ExpiresAt, null, e.ScheduledAt)
        {
            Status = InvitationStatus.Scheduled, ChannelOrder = e.ChannelOrder, DueAt = e.DueAt,
            CustomerExternalId = e.CustomerExternalId, EventExternalId = e.EventExternalId, DealerCode = e.DealerCode, TriggerId = e.TriggerId,
            ReminderAt = e.ReminderAt, ReminderIf = e.ReminderIf,
            Timeline = [new(e.ScheduledAt, "scheduled", null, $"due {e.DueAt:O}")],
        };

    public static Invitation From(InvitationSuppressed e) =>
        new(e.InvitationId, Guid.Empty, 0, "", e.SuppressedAt, null, e.SuppressedAt)
        {
            Status = InvitationStatus.Suppressed, CustomerExternalId = e.CustomerExternalId, TriggerId = e.TriggerId,
            Timeline = [new(e.SuppressedAt, "suppressed", null, e.Reason)],
        };

    public static Invitation Evolve(Invitation s, object @event) => @event switch
    {
        InvitationSendAttempted e => s with
        {
            Status = InvitationStatus.Sending, PendingAttempt = new SendAttempt(e.Channel, e.Attempt, e.AttemptedAt),
            Timeline = [.. s.Timeline, new(e.AttemptedAt, "attempted", e.Channel, $"attempt {e.Attempt}")],
        },
        InvitationSent e => s with
        {
            Status = InvitationStatus.Sent, PendingAttempt = null, SentChannel = e.Channel, ProviderMessageId = e.ProviderMessageId,
            Timeline = [.. s.Timeline, new(e.SentAt, "sent", e.Channel, e.ProviderMessageId)],
        },
        InvitationSendFailed e => s with
        {
            Status = e.Permanent && s.ChannelOrder.All(c => c == e.Channel || s.FailedChannels.Contains(c)) ? InvitationStatus.Failed : InvitationStatus.Scheduled,
            PendingAttempt = null, FailedChannels = e.Permanent ? [.. s.FailedChannels, e.Channel] : s.FailedChannels,
            Timeline = [.. s.Timeline, new(e.FailedAt, e.Permanent ? "failed" : "retrying", e.Channel, e.Error)],
        },
        InvitationSendUncertain e => s with
        {
            Status = InvitationStatus.Uncertain, PendingAttempt = null, SentChannel = e.Channel,
            Timeline = [.. s.Timeline, new(e.At, "uncertain", e.Channel, e.Reason)],
        },
        InvitationDelivered e => s with { Status = s.Status == InvitationStatus.Responded ? s.Status : InvitationStatus.Delivered, Timeline = [.. s.Timeline, new(e.DeliveredAt, "delivered", e.Channel, null)] },
        InvitationDeliveryFailed e => s with { Status = InvitationStatus.Failed, Timeline = [.. s.Timeline, new(e.FailedAt, "delivery failed", e.Channel, e.ErrorCode)] },
        InvitationOpened e => s with { Opened = true, Timeline = [.. s.Timeline, new(e.OpenedAt, "opened", null, null)] },
        InvitationReminded e => s with { Reminded = true, Timeline = [.. s.Timeline, new(e.RemindedAt, "reminded", e.Channel, null)] },
        InvitationExpired e => s with { Status = InvitationStatus.Expired, Timeline = [.. s.Timeline, new(e.ExpiredAt, "expired", null, null)] },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to an invitation."),
    };

    /// <summary>
    /// A reminder is due when the invitation went out, is still open and unanswered, its reminder time has come, none was sent
    /// yet, and (for "notOpened") the respondent never opened it.
    /// </summary>
    public static bool ReminderDue(Invitation s, DateTimeOffset now) =>
        s.Status is InvitationStatus.Sent or InvitationStatus.Delivered && s.RespondedBy is null && !s.Reminded
        && s.ReminderAt is { } at && now >= at && now < s.ExpiresAt && s.SentChannel is not null
        && !(s.Opened && string.Equals(s.ReminderIf, "NotOpened", StringComparison.OrdinalIgnoreCase));

    /// <summary>The provider's answer to an attempt, as an event.</summary>
    public static object Outcome(Invitation state, string channel, SendOutcomeKind outcome, string? providerMessageId, string? error, DateTimeOffset now)
    {
        if (state.PendingAttempt?.Channel != channel)
            throw new RuleViolationException("no-attempt", "No attempt on this channel is waiting for its outcome.");
        return outcome switch
        {
            SendOutcomeKind.Accepted => new InvitationSent(state.Id, channel, providerMessageId, now),
            SendOutcomeKind.TransientFailure => new InvitationSendFailed(state.Id, channel, false, error ?? "transient failure", now),
            SendOutcomeKind.PermanentFailure => new InvitationSendFailed(state.Id, channel, true, error ?? "permanent failure", now),
            _ => new InvitationSendUncertain(state.Id, channel, error ?? "outcome unknown", now),
        };
    }
}

public enum SendOutcomeKind { Accepted, TransientFailure, PermanentFailure, Uncertain }
