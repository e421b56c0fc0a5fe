namespace Survey.Domain.Cases;

public enum CaseSla { FirstContact, Resolution }

/// <summary>
/// A case opened for a completed response. It holds references only (response, invitation, customer external id, dealer and
/// region codes): names, contact points and answers stay where they are and are read when someone looks at the case.
/// <paramref name="DealerCode"/> is null for responses that came without an invitation (links, widgets): a tenant-level case.
/// </summary>
public sealed record CaseOpened(
    Guid CaseId, Guid ResponseId, Guid QuestionnaireId, Guid? InvitationId, string? CustomerExternalId, string? DealerCode, string? RegionCode,
    IReadOnlyList<MatchedRule> Rules, DateTimeOffset FirstContactDueAt, DateTimeOffset ResolutionDueAt, DateTimeOffset OpenedAt);

public sealed record CaseAssigned(Guid CaseId, string AssigneeId, string AssigneeName, DateTimeOffset AssignedAt);

/// <summary>Someone spoke to (or tried to reach) the customer; the first one is the case's first contact.</summary>
public sealed record CaseContactLogged(Guid CaseId, string Channel, string? Note, DateTimeOffset ContactedAt);

public sealed record CaseRootCauseCoded(Guid CaseId, string Code, DateTimeOffset CodedAt);
public sealed record CaseResolved(Guid CaseId, string Note, DateTimeOffset ResolvedAt);

/// <summary>The customer was invited again (<paramref name="InvitationId"/> is an ordinary scheduled invitation).</summary>
public sealed record CaseCustomerResurveyed(Guid CaseId, Guid InvitationId, Guid QuestionnaireId, int QuestionnaireVersion, DateTimeOffset ResurveyedAt);

public sealed record CaseReopened(Guid CaseId, string Reason, DateTimeOffset ResolutionDueAt, DateTimeOffset ReopenedAt);

/// <summary>An SLA passed without the step it asks for; <paramref name="Round"/> is 0 for the first resolution, +1 per reopening.</summary>
public sealed record CaseEscalated(Guid CaseId, CaseSla Sla, int Round, string? RegionCode, DateTimeOffset DueAt, DateTimeOffset EscalatedAt);

/// <summary>The escalation e-mail went out (or could not, for good) to this many recipients.</summary>
public sealed record CaseEscalationNotified(Guid CaseId, CaseSla Sla, int Round, int Recipients, string Outcome, DateTimeOffset NotifiedAt);
