using Survey.Domain.Common;

namespace Survey.Domain.Cases;

/// <summary>
/// A tenant's SLA: first contact within <see cref="FirstContactHours"/> and resolution within <see cref="ResolutionHours"/> of opening
/// (of reopening, for later rounds). Wall-clock hours; business hours and holidays are not modelled.
/// </summary>
public sealed record CaseSlaPolicy(int FirstContactHours = 24, int ResolutionHours = 72)
{
    public static readonly CaseSlaPolicy Default = new();

    public DateTimeOffset FirstContactDue(DateTimeOffset openedAt) => openedAt.AddHours(FirstContactHours);
    public DateTimeOffset ResolutionDue(DateTimeOffset from) => from.AddHours(ResolutionHours);

    public IEnumerable<InputProblem> Check(string path)
    {
        if (FirstContactHours is < 1 or > 720) yield return new($"{path}.firstContactHours", "out-of-range", "First contact is due within 1 to 720 hours.");
        if (ResolutionHours is < 1 or > 2160) yield return new($"{path}.resolutionHours", "out-of-range", "Resolution is due within 1 to 2160 hours.");
        else if (ResolutionHours < FirstContactHours) yield return new($"{path}.resolutionHours", "before-first-contact", "Resolution cannot be due before first contact.");
    }
}

/// <summary>Which SLAs of a case have passed and are not escalated yet (at most one escalation per SLA and round).</summary>
public static class CaseEscalation
{
    public static object[] Due(Case state, DateTimeOffset now)
    {
        var events = new List<object>();
        if (state.FirstContactOverdue(now) && !state.FirstContactEscalated)
            events.Add(new CaseEscalated(state.Id, CaseSla.FirstContact, 0, state.RegionCode, state.FirstContactDueAt, now));
        if (state.ResolutionOverdue(now) && !state.ResolutionEscalated)
            events.Add(new CaseEscalated(state.Id, CaseSla.Resolution, state.Round, state.RegionCode, state.ResolutionDueAt, now));
        return [.. events];
    }

    /// <summary>Records a notification outcome once; a second report of the same one records nothing.</summary>
    public static object[] Notified(Case state, CaseSla sla, int round, int recipients, string outcome, DateTimeOffset now) =>
        state.PendingNotifications.Contains(new PendingNotification(sla, round)) ? [new CaseEscalationNotified(state.Id, sla, round, recipients, outcome, now)] : [];
}
