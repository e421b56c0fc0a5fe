namespace Survey.Domain.Cases;

public enum CaseStatus { Open, Resolved }

public sealed record PendingNotification(CaseSla Sla, int Round);

/// <summary>One line of a case's history as the inbox shows it.</summary>
public sealed record CaseTimelineEntry(DateTimeOffset At, string What, string? Detail);

/// <summary>
/// A case's state, which doubles as its read model (one document per case, kept inline). Times are the SLA clock: first contact is
/// due by <see cref="FirstContactDueAt"/>, resolution of the current round by <see cref="ResolutionDueAt"/>.
/// </summary>
public sealed record Case(
    Guid Id, Guid ResponseId, Guid QuestionnaireId, Guid? InvitationId, string? CustomerExternalId, string? DealerCode, string? RegionCode,
    IReadOnlyList<MatchedRule> Rules, DateTimeOffset OpenedAt, DateTimeOffset FirstContactDueAt, DateTimeOffset ResolutionDueAt)
{
    /// <summary>Stream version, set by the event store; used as the ETag.</summary>
    public long Version { get; set; }

    public CaseStatus Status { get; init; } = CaseStatus.Open;
    public string? AssigneeId { get; init; }
    public string? AssigneeName { get; init; }
    public DateTimeOffset? FirstContactAt { get; init; }
    public int Contacts { get; init; }
    public string? RootCause { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public Guid? ResurveyInvitationId { get; init; }
    /// <summary>0 until the case is reopened; each reopening starts a new resolution round with its own due time.</summary>
    public int Round { get; init; }
    public bool FirstContactEscalated { get; init; }
    public bool ResolutionEscalated { get; init; }
    public IReadOnlyList<PendingNotification> PendingNotifications { get; init; } = [];
    public DateTimeOffset UpdatedAt { get; init; }
    public IReadOnlyList<CaseTimelineEntry> Timeline { get; init; } = [];

    public bool FirstContactOverdue(DateTimeOffset now) => FirstContactAt is null && Status == CaseStatus.Open && now >= FirstContactDueAt;
    public bool ResolutionOverdue(DateTimeOffset now) => Status == CaseStatus.Open && now >= ResolutionDueAt;
    public bool Overdue(DateTimeOffset now) => FirstContactOverdue(now) || ResolutionOverdue(now);

    public static Case From(CaseOpened e) =>
        new(e.CaseId, e.ResponseId, e.QuestionnaireId, e.InvitationId, e.CustomerExternalId, e.DealerCode, e.RegionCode, e.Rules, e.OpenedAt, e.FirstContactDueAt, e.ResolutionDueAt)
        {
            UpdatedAt = e.OpenedAt,
            Timeline = [new(e.OpenedAt, "opened", string.Join(" ", e.Rules.Select(r => r.Reason)))],
        };

    public Case With(object @event) => @event switch
    {
        CaseAssigned e => Log(e.AssignedAt, "assigned", $"{e.AssigneeName} ({e.AssigneeId})") with { AssigneeId = e.AssigneeId, AssigneeName = e.AssigneeName },
        CaseContactLogged e => Log(e.ContactedAt, Contacts == 0 ? "first-contact" : "contact", e.Note is { Length: > 0 } n ? $"{e.Channel}: {n}" : e.Channel)
            with { FirstContactAt = FirstContactAt ?? e.ContactedAt, Contacts = Contacts + 1 },
        CaseRootCauseCoded e => Log(e.CodedAt, "root-cause", e.Code) with { RootCause = e.Code },
        CaseResolved e => Log(e.ResolvedAt, "resolved", e.Note) with { Status = CaseStatus.Resolved, ResolvedAt = e.ResolvedAt },
        CaseCustomerResurveyed e => Log(e.ResurveyedAt, "resurveyed", e.InvitationId.ToString()) with { ResurveyInvitationId = e.InvitationId },
        CaseReopened e => Log(e.ReopenedAt, "reopened", e.Reason) with
        {
            Status = CaseStatus.Open, ResolvedAt = null, Round = Round + 1, ResolutionDueAt = e.ResolutionDueAt, ResolutionEscalated = false, ResurveyInvitationId = null,
        },
        CaseEscalated e => Log(e.EscalatedAt, "escalated", $"{Name(e.Sla)} due {e.DueAt:O}, region {e.RegionCode ?? "-"}") with
        {
            FirstContactEscalated = FirstContactEscalated || e.Sla == CaseSla.FirstContact,
            ResolutionEscalated = ResolutionEscalated || e.Sla == CaseSla.Resolution,
            PendingNotifications = [.. PendingNotifications, new(e.Sla, e.Round)],
        },
        CaseEscalationNotified e => Log(e.NotifiedAt, "escalation-notified", $"{Name(e.Sla)}: {e.Outcome} ({e.Recipients} recipients)") with
        {
            PendingNotifications = PendingNotifications.Where(p => p != new PendingNotification(e.Sla, e.Round)).ToList(),
        },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to a case."),
    };

    public static string Name(CaseSla sla) => sla == CaseSla.FirstContact ? "first-contact" : "resolution";

    private Case Log(DateTimeOffset at, string what, string? detail) => this with { UpdatedAt = at, Timeline = [.. Timeline, new(at, what, detail)] };
}
