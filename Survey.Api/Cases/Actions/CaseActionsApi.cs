using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Cases.Inbox;
using Survey.Api.Cases.Settings;
using Survey.Api.Http;
using Survey.Domain.Cases;

namespace Survey.Api.Cases.Actions;

public sealed record AssignRequest(string? AssigneeId, string? AssigneeName);
public sealed record ContactRequest(string? Channel, string? Note);
public sealed record RootCauseRequest(string? Code);
public sealed record ResolveRequest(string? Note);
public sealed record ReopenRequest(string? Reason);
/// <param name="QuestionnaireId">The survey to send; the one the customer answered when omitted. Its latest published version is used.</param>
public sealed record ResurveyRequest(Guid? QuestionnaireId = null);

/// <summary>
/// Case actions. Each one fetches the case at the version in If-Match (412 when stale), checks the caller's scope (404 outside it),
/// lets the domain decide (409 with a code for a step the case's state forbids, 400 for bad input) and answers with the case and its ETag.
/// </summary>
public static class CaseActionsApi
{
    public static RouteGroupBuilder MapCaseActions(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/assign", Assign).WithName("AssignCase").WithSummary("Assign the case to a user")
            .WithRequestExample("""{ "assigneeId": "u-1042", "assigneeName": "张伟" }""");
        group.MapPost("/{id:guid}/contacts", Contact).WithName("LogCaseContact").WithSummary("Log a contact with the customer; the first one is the first contact (SLA)")
            .WithRequestExample("""{ "channel": "phone", "note": "Called back, apologised for the wait, offered a free check." }""");
        group.MapPost("/{id:guid}/root-cause", RootCause).WithName("CodeCaseRootCause").WithSummary("Code the root cause from the tenant's list")
            .WithRequestExample("""{ "code": "WAIT" }""");
        group.MapPost("/{id:guid}/resolve", Resolve).WithName("ResolveCase").WithSummary("Resolve the case (needs a first contact and a root cause)")
            .WithRequestExample("""{ "note": "Service advisor coached; customer accepted the apology." }""");
        group.MapPost("/{id:guid}/resurvey", Resurvey).WithName("ResurveyCaseCustomer")
            .WithSummary("Invite the customer of a resolved case again: an ordinary invitation, scheduled now through the invitation dispatcher")
            .WithRequestExample("""{ }""");
        group.MapPost("/{id:guid}/reopen", Reopen).WithName("ReopenCase").WithSummary("Reopen a resolved case; resolution is due again after the tenant's resolution time")
            .WithRequestExample("""{ "reason": "The customer called again: the noise is back." }""");
        return group;
    }

    private static Task<Ok<CaseView>> Assign(Guid id, AssignRequest request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct) =>
        Run(id, new AssignCase(request.AssigneeId, request.AssigneeName), session, scopes, time, http, ct);

    private static Task<Ok<CaseView>> Contact(Guid id, ContactRequest request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct) =>
        Run(id, new LogContact(request.Channel, request.Note), session, scopes, time, http, ct);

    private static async Task<Ok<CaseView>> RootCause(Guid id, RootCauseRequest request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var codes = (await CaseSettings.Load(session, ct)).RootCauses.Select(c => c.Code).ToHashSet();
        return await Run(id, new CodeRootCause(request.Code, codes), session, scopes, time, http, ct);
    }

    private static Task<Ok<CaseView>> Resolve(Guid id, ResolveRequest request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct) =>
        Run(id, new ResolveCase(request.Note), session, scopes, time, http, ct);

    private static async Task<Ok<CaseView>> Reopen(Guid id, ReopenRequest request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var sla = (await CaseSettings.Load(session, ct)).Sla;
        return await Run(id, new ReopenCase(request.Reason, sla), session, scopes, time, http, ct);
    }

    private static async Task<Ok<CaseView>> Resurvey(Guid id, ResurveyRequest? request, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time,
        Invitations.DueInvitations due, HttpContext http, CancellationToken ct)
    {
        var scope = scopes.Resolve(http);
        var current = scope.Require(await session.LoadAsync<Case>(id, ct), id);
        var now = time.GetUtcNow();
        var invitation = await Resurveying.Prepare(session, current, request?.QuestionnaireId, now, ct);
        return await Run(id, new ResurveyCustomer(invitation.InvitationId, invitation.QuestionnaireId, invitation.QuestionnaireVersion), session, scopes, time, http, ct,
            accepted: () => Resurveying.Schedule(session, due, invitation));
    }

    private static async Task<Ok<CaseView>> Run(Guid id, CaseCommand command, IDocumentSession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http,
        CancellationToken ct, Action? accepted = null)
    {
        var scope = scopes.Resolve(http);
        var now = time.GetUtcNow();
        var (state, version) = await session.Decide<Case>(id, http.Request.ExpectedVersion(), current =>
        {
            var events = CaseDecider.Decide(command, current is null ? null : scope.Require(current, id), now);
            if (events.Length > 0) accepted?.Invoke();
            return events;
        }, CaseDecider.Evolve, ct);
        state.Version = version;
        http.Response.SetETag(version);
        return TypedResults.Ok(CaseView.From(state, now, withTimeline: true));
    }
}
