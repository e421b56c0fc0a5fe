using Survey.Domain.Cases;

namespace Survey.Api.Cases.Inbox;

/// <summary>A case as the inbox shows it: the projected state with its SLA position now. <see cref="Timeline"/> only in the detail.</summary>
public sealed record CaseView(
    Guid Id, CaseStatus Status, Guid ResponseId, Guid QuestionnaireId, Guid? InvitationId, string? CustomerExternalId, string? DealerCode, string? RegionCode,
    IReadOnlyList<MatchedRule> Rules, string? AssigneeId, string? AssigneeName, string? RootCause, int Round,
    DateTimeOffset OpenedAt, DateTimeOffset FirstContactDueAt, DateTimeOffset? FirstContactAt, DateTimeOffset ResolutionDueAt, DateTimeOffset? ResolvedAt,
    bool FirstContactOverdue, bool ResolutionOverdue, bool Escalated, Guid? ResurveyInvitationId, long Version, IReadOnlyList<CaseTimelineEntry>? Timeline)
{
    /// <summary>Who to call back (detail only; not for analysts; masked for dealer staff). Null in lists.</summary>
    public CaseCustomer? Customer { get; init; }

    /// <summary>What the customer wrote in the response (detail only; not for analysts). Null in lists.</summary>
    public IReadOnlyList<Analytics.Scorecards.VerbatimText>? Said { get; init; }

    public static CaseView From(Case c, DateTimeOffset now, bool withTimeline) =>
        new(c.Id, c.Status, c.ResponseId, c.QuestionnaireId, c.InvitationId, c.CustomerExternalId, c.DealerCode, c.RegionCode, c.Rules, c.AssigneeId, c.AssigneeName,
            c.RootCause, c.Round, c.OpenedAt, c.FirstContactDueAt, c.FirstContactAt, c.ResolutionDueAt, c.ResolvedAt,
            c.FirstContactOverdue(now), c.ResolutionOverdue(now), c.FirstContactEscalated || c.ResolutionEscalated, c.ResurveyInvitationId, c.Version,
            withTimeline ? c.Timeline : null);
}

/// <summary>The customer of a case as the caller may see them: contact points masked for dealer staff, "[erased]" after erasure.</summary>
public sealed record CaseCustomer(string ExternalId, string? Name, string? Mobile, string? Email, string? PreferredLanguage, bool Masked);
