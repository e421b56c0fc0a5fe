using Survey.Domain.Cases;

namespace Survey.Api.Cases.Inbox;

/// <summary>A case as the inbox shows it: the projected state with its SLA position now. <see cref="Timeline"/> only in the detail.</summary>
public sealed record CaseView(
    Guid Id, CaseStatus Status, Guid ResponseId, Guid QuestionnaireId, Guid? InvitationId, string? CustomerExternalId, string? DealerCode, string? RegionCode,
    IReadOnlyList<MatchedRule> Rules, string? AssigneeId, string? AssigneeName, string? RootCause, int Round,
    DateTimeOffset OpenedAt, DateTimeOffset FirstContactDueAt, DateTimeOffset? FirstContactAt, DateTimeOffset ResolutionDueAt, DateTimeOffset? ResolvedAt,
    bool FirstContactOverdue, bool ResolutionOverdue, bool Escalated, Guid? ResurveyInvitationId, long Version, IReadOnlyList<CaseTimelineEntry>? Timeline)
{
    public static CaseView From(Case c, DateTimeOffset now, bool withTimeline) =>
        new(c.Id, c.Status, c.ResponseId, c.QuestionnaireId, c.InvitationId, c.CustomerExternalId, c.DealerCode, c.RegionCode, c.Rules, c.AssigneeId, c.AssigneeName,
            c.RootCause, c.Round, c.OpenedAt, c.FirstContactDueAt, c.FirstContactAt, c.ResolutionDueAt, c.ResolvedAt,
            c.FirstContactOverdue(now), c.ResolutionOverdue(now), c.FirstContactEscalated || c.ResolutionEscalated, c.ResurveyInvitationId, c.Version,
            withTimeline ? c.Timeline : null);
}
