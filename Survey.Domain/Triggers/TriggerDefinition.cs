using Survey.Domain.Operations;
using Survey.Domain.Triggers.Matching;
using Survey.Domain.Triggers.Scheduling;

namespace Survey.Domain.Triggers;

public enum ReminderCondition { NotOpened, NotCompleted }

/// <summary>One reminder <paramref name="After"/> the invitation went out, if it has not been opened / completed by then.</summary>
public sealed record ReminderRule(TimeSpan After, ReminderCondition If);

/// <summary>Events from <paramref name="From"/> (inclusive) up to <paramref name="To"/> (exclusive) fire; either end may be open.</summary>
public sealed record ActivePeriod(DateTimeOffset? From, DateTimeOffset? To)
{
    public bool Contains(DateTimeOffset at) => (From is null || at >= From) && (To is null || at < To);
}

/// <summary>
/// "When an event of <paramref name="EventType"/> matching <paramref name="Filter"/> happens, invite the customer to
/// <paramref name="QuestionnaireId"/> after <paramref name="Delay"/>, inside <paramref name="SendWindow"/> (null: any time),
/// through the first usable channel of <paramref name="Channels"/>, for <paramref name="SamplingRate"/> percent of events;
/// the invitation expires <paramref name="InvitationExpiry"/> after it is due."
/// </summary>
public sealed record TriggerDefinition(
    string Name,
    string EventType,
    IReadOnlyList<FilterCondition> Filter,
    Guid QuestionnaireId,
    TimeSpan Delay,
    SendWindow? SendWindow,
    IReadOnlyList<Channel> Channels,
    decimal SamplingRate,
    TimeSpan InvitationExpiry,
    ReminderRule? Reminder = null,
    ActivePeriod? ActivePeriod = null)
{
    public bool Equals(TriggerDefinition? other) =>
        other is not null
        && Name == other.Name && EventType == other.EventType && QuestionnaireId == other.QuestionnaireId
        && (Filter ?? []).SequenceEqual(other.Filter ?? [])
        && Delay == other.Delay && Equals(SendWindow, other.SendWindow)
        && (Channels ?? []).SequenceEqual(other.Channels ?? [])
        && SamplingRate == other.SamplingRate && InvitationExpiry == other.InvitationExpiry
        && Equals(Reminder, other.Reminder) && Equals(ActivePeriod, other.ActivePeriod);

    public override int GetHashCode() => HashCode.Combine(Name, EventType, QuestionnaireId, Filter?.Count);
}
