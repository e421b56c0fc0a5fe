using System.Globalization;
using Survey.Domain.Common;
using Survey.Domain.Triggers.Matching;

namespace Survey.Domain.Triggers;

/// <summary>Checks a whole trigger definition and reports every problem with its path, not just the first.</summary>
public static class TriggerValidator
{
    public const int MaxNameLength = 200;
    public const int MaxEventTypeLength = 100;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(90);
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(90);

    /// <param name="publishingAt">When set, the definition is about to go live then: an active period that has ended is refused.</param>
    public static IReadOnlyList<InputProblem> Validate(TriggerDefinition d, DateTimeOffset? publishingAt = null)
    {
        var problems = new List<InputProblem>();
        if (string.IsNullOrWhiteSpace(d.Name))
            problems.Add(new("name", "required", "Give the trigger a name."));
        else if (d.Name.Length > MaxNameLength)
            problems.Add(new("name", "too-long", $"A name holds at most {MaxNameLength} characters."));

        if (string.IsNullOrWhiteSpace(d.EventType) || d.EventType.Length > MaxEventTypeLength
            || !d.EventType.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            problems.Add(new("eventType", "invalid-type", $"The event type is 1-{MaxEventTypeLength} letters, digits, '.', '_' or '-', e.g. service.completed."));

        problems.AddRange(TriggerFilter.Validate(d.Filter));

        if (d.QuestionnaireId == Guid.Empty)
            problems.Add(new("questionnaireId", "required", "Name the questionnaire to invite to."));

        if (d.Delay < TimeSpan.Zero || d.Delay > MaxDelay)
            problems.Add(new("delay", "out-of-range", $"The delay runs from 0 to {MaxDelay.TotalDays} days."));

        CheckWindow(d, problems);
        CheckChannels(d, problems);

        if (d.SamplingRate is < 0 or > 100)
            problems.Add(new("samplingRate", "out-of-range", "The sampling rate is a percentage from 0 to 100."));

        if (d.InvitationExpiry <= TimeSpan.Zero || d.InvitationExpiry > MaxExpiry)
            problems.Add(new("invitationExpiry", "out-of-range", $"Invitations expire after more than 0 and at most {MaxExpiry.TotalDays} days."));

        if (d.Reminder is { } reminder)
        {
            if (reminder.After <= TimeSpan.Zero)
                problems.Add(new("reminder.after", "out-of-range", "A reminder comes some time after the invitation."));
            else if (d.InvitationExpiry > TimeSpan.Zero && reminder.After >= d.InvitationExpiry)
                problems.Add(new("reminder.after", "after-expiry", $"The reminder ({Hours(reminder.After)}) must come before the invitation expires ({Hours(d.InvitationExpiry)})."));
            if (!Enum.IsDefined(reminder.If))
                problems.Add(new("reminder.if", "unknown-condition", $"Remind if {string.Join(" or ", Enum.GetNames<ReminderCondition>())}."));
        }

        if (d.ActivePeriod is { From: { } from, To: { } to } && to <= from)
            problems.Add(new("activePeriod.to", "before-start", "The active period ends after it begins."));
        else if (publishingAt is { } now && d.ActivePeriod?.To is { } end && end <= now)
            problems.Add(new("activePeriod.to", "ended", "The active period has already ended; nothing would fire."));
        return problems;
    }

    private static void CheckWindow(TriggerDefinition d, List<InputProblem> problems)
    {
        if (d.SendWindow?.Days is not { } days) return;
        if (days.Count == 0)
            problems.Add(new("sendWindow.days", "required", "List at least one day, or leave the days out for every day."));
        for (var i = 0; i < days.Count; i++)
            if (!Enum.IsDefined(days[i]))
                problems.Add(new($"sendWindow.days[{i}]", "unknown-day", $"{(int)days[i]} is not a day of the week."));
        foreach (var dup in days.GroupBy(x => x).Where(g => g.Count() > 1))
            problems.Add(new("sendWindow.days", "duplicate-day", $"{dup.Key} is listed twice."));
    }

    private static void CheckChannels(TriggerDefinition d, List<InputProblem> problems)
    {
        var channels = d.Channels ?? [];
        if (channels.Count == 0)
            problems.Add(new("channels", "required", "List the channels to try in order, e.g. [MiniProgram, Sms, Email]."));
        for (var i = 0; i < channels.Count; i++)
            if (!Enum.IsDefined(channels[i]))
                problems.Add(new($"channels[{i}]", "unknown-channel", $"{(int)channels[i]} is not a channel."));
        foreach (var dup in channels.GroupBy(x => x).Where(g => g.Count() > 1))
            problems.Add(new("channels", "duplicate-channel", $"{dup.Key} is listed twice."));
    }

    private static string Hours(TimeSpan span) => $"{span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h";
}
