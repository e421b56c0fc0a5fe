using Survey.Domain.Common;

namespace Survey.Domain.Cases;

public abstract record CaseCommand;
public sealed record AssignCase(string? AssigneeId, string? AssigneeName) : CaseCommand;
public sealed record LogContact(string? Channel, string? Note) : CaseCommand;
/// <param name="KnownCodes">The tenant's root-cause code list at the time of the command.</param>
public sealed record CodeRootCause(string? Code, IReadOnlyCollection<string> KnownCodes) : CaseCommand;
public sealed record ResolveCase(string? Note) : CaseCommand;
/// <summary>The invitation is made by the caller in the same transaction, only when this is accepted.</summary>
public sealed record ResurveyCustomer(Guid InvitationId, Guid QuestionnaireId, int QuestionnaireVersion) : CaseCommand;
public sealed record ReopenCase(string? Reason, CaseSlaPolicy Sla) : CaseCommand;

/// <summary>
/// What a case action records. Open cases can be assigned, contacted, coded and resolved; resolving needs a first contact and a root
/// cause; a resolved case can be re-surveyed (once per round) and reopened. Anything else is a 409 with a code.
/// </summary>
public static class CaseDecider
{
    public static readonly string[] ContactChannels = ["phone", "email", "sms", "wechat", "visit"];
    public const int MaxNote = 2000;

    public static object[] Decide(CaseCommand command, Case? state, DateTimeOffset now)
    {
        if (state is null) throw new NotFoundException("This case does not exist.");
        InvalidInputException.ThrowIfAny(Check(command));
        switch (command)
        {
            case AssignCase c:
                EnsureOpen(state, "assign");
                return state.AssigneeId == c.AssigneeId!.Trim() && state.AssigneeName == c.AssigneeName!.Trim()
                    ? [] : [new CaseAssigned(state.Id, c.AssigneeId.Trim(), c.AssigneeName!.Trim(), now)];
            case LogContact c:
                EnsureOpen(state, "log a contact on");
                return [new CaseContactLogged(state.Id, c.Channel!, Blank(c.Note), now)];
            case CodeRootCause c:
                EnsureOpen(state, "code");
                return state.RootCause == c.Code ? [] : [new CaseRootCauseCoded(state.Id, c.Code!, now)];
            case ResolveCase c:
                if (state.Status == CaseStatus.Resolved) throw new RuleViolationException("case-resolved", "This case is already resolved.");
                if (state.FirstContactAt is null) throw new RuleViolationException("not-contacted", "Log the first contact with the customer before resolving the case.");
                if (state.RootCause is null) throw new RuleViolationException("root-cause-missing", "Code the root cause before resolving the case.");
                return [new CaseResolved(state.Id, c.Note!.Trim(), now)];
            case ResurveyCustomer c:
                if (state.Status != CaseStatus.Resolved) throw new RuleViolationException("case-not-resolved", "Re-survey the customer once the case is resolved.");
                if (state.ResurveyInvitationId is not null) throw new RuleViolationException("already-resurveyed", "The customer was already re-surveyed for this resolution.");
                if (state.CustomerExternalId is null) throw new RuleViolationException("no-customer", "This case came from an anonymous response; there is nobody to re-survey.");
                return [new CaseCustomerResurveyed(state.Id, c.InvitationId, c.QuestionnaireId, c.QuestionnaireVersion, now)];
            case ReopenCase c:
                if (state.Status != CaseStatus.Resolved) throw new RuleViolationException("case-not-resolved", "Only a resolved case can be reopened.");
                return [new CaseReopened(state.Id, c.Reason!.Trim(), c.Sla.ResolutionDue(now), now)];
        }
        throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name);
    }

    public static Case Evolve(Case? state, object @event) => (state, @event) switch
    {
        (null, CaseOpened e) => Case.From(e),
        (not null, not CaseOpened) => state.With(@event),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to {(state is null ? "a missing" : "an existing")} case."),
    };

    public static IReadOnlyList<InputProblem> Check(CaseCommand command)
    {
        var problems = new List<InputProblem>();
        switch (command)
        {
            case AssignCase c:
                if (string.IsNullOrWhiteSpace(c.AssigneeId) || c.AssigneeId.Length > 100) problems.Add(new("assigneeId", "required", "assigneeId is the user's id, 1 to 100 characters."));
                if (string.IsNullOrWhiteSpace(c.AssigneeName) || c.AssigneeName.Length > 200) problems.Add(new("assigneeName", "required", "assigneeName is 1 to 200 characters."));
                break;
            case LogContact c:
                if (c.Channel is null || !ContactChannels.Contains(c.Channel)) problems.Add(new("channel", "unknown-channel", $"channel is one of {string.Join(", ", ContactChannels)}."));
                if (c.Note is { Length: > MaxNote }) problems.Add(new("note", "too-long", $"A note is at most {MaxNote} characters."));
                break;
            case CodeRootCause c:
                if (string.IsNullOrWhiteSpace(c.Code)) problems.Add(new("code", "required", "Name a root-cause code."));
                else if (!c.KnownCodes.Contains(c.Code)) problems.Add(new("code", "unknown-code", $"'{c.Code}' is not in this tenant's root-cause list."));
                break;
            case ResolveCase c:
                if (string.IsNullOrWhiteSpace(c.Note) || c.Note.Length > MaxNote) problems.Add(new("note", "required", $"Describe the resolution in 1 to {MaxNote} characters."));
                break;
            case ReopenCase c:
                if (string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > MaxNote) problems.Add(new("reason", "required", $"Say why the case is reopened, 1 to {MaxNote} characters."));
                break;
        }
        return problems;
    }

    private static void EnsureOpen(Case state, string action)
    {
        if (state.Status == CaseStatus.Resolved) throw new RuleViolationException("case-resolved", $"A resolved case cannot be {(action == "assign" ? "assigned" : action == "code" ? "coded" : "changed")}; reopen it first.");
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
