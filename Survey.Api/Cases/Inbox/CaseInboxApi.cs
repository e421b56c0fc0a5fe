using System.Security.Claims;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Analytics.Scorecards;
using Survey.Api.Http;
using Survey.Api.Privacy;
using Survey.Api.Operations;
using Survey.Api.Respondents.Answering;
using Survey.Domain.Responses;
using Survey.Api.Questionnaires;
using Survey.Domain.Cases;
using Survey.Domain.Common;

namespace Survey.Api.Cases.Inbox;

/// <summary>Filters of the case inbox; every one optional.</summary>
public sealed record CaseFilter(CaseStatus? Status = null, string? Dealer = null, string? Region = null, bool? Overdue = null, string? Assignee = null, bool? Unassigned = null);

public static class CaseInboxApi
{
    public static RouteGroupBuilder MapCaseInbox(this RouteGroupBuilder group)
    {
        group.MapGet("/", List).WithName("ListCases")
            .WithSummary("The case inbox: cases in the caller's scope, newest first, filtered by status, dealer, region, overdue, assignee")
            .WithDescription("status is open or resolved; overdue=true keeps open cases past a due time (first contact or resolution); assignee is a user id; unassigned=true keeps cases nobody holds.");
        group.MapGet("/{id:guid}", Get).WithName("GetCase").WithSummary("One case with its timeline; the ETag is its version");
        return group;
    }

    private static async Task<Ok<Page<CaseView>>> List(string? status, string? dealer, string? region, bool? overdue, string? assignee, bool? unassigned, int? page, int? pageSize,
        IQuerySession session, ICaseScopeResolver scopes, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var (number, size, problems) = Paging.Read(page, pageSize, 50, 200);
        CaseStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (status.Any(char.IsDigit) || !Enum.TryParse<CaseStatus>(status, ignoreCase: true, out var s)) problems = [.. problems, new("status", "unknown-status", "status is open or resolved.")];
            else parsed = s;
        }
        InvalidInputException.ThrowIfAny(problems);
        var now = time.GetUtcNow();
        var query = CaseQueries.Inbox(session, scopes.Resolve(http), new CaseFilter(parsed, dealer, region, overdue, assignee, unassigned), now);
        var result = await query.OrderByDescending(c => c.OpenedAt).ToPagedListAsync(number, size, ct);
        return TypedResults.Ok(new Page<CaseView>(result.Select(c => CaseView.From(c, now, withTimeline: false)).ToList(), number, size, result.TotalItemCount));
    }

    private static async Task<Ok<CaseView>> Get(Guid id, IQuerySession session, ICaseScopeResolver scopes, Security.OrgScopes org, PersonalDataVault vault,
        TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var c = scopes.Resolve(http).Require(await session.LoadAsync<Case>(id, ct), id);
        http.Response.SetETag(c.Version);
        var view = CaseView.From(c, time.GetUtcNow(), withTimeline: true);
        // whoever works the case needs to know whom to call and what they said; analysts see neither (no personal data)
        if (!org.Current.PersonalData) return TypedResults.Ok(view);
        return TypedResults.Ok(view with { Customer = await Customer(c, session, vault, http.User, ct), Said = await Said(c, session, vault, ct) });
    }

    private static async Task<CaseCustomer?> Customer(Case c, IQuerySession session, PersonalDataVault vault, ClaimsPrincipal user, CancellationToken ct)
    {
        if (c.CustomerExternalId is not { Length: > 0 } externalId || await session.LoadAsync<CustomerRecord>(externalId, ct) is not { } record) return null;
        var clear = PrivacyRoles.ForViewer(user, (await vault.Open(session, record.Customer, ct, erasedAs: PersonalDataVault.Erased))!);
        return new CaseCustomer(externalId, clear.Name, clear.Mobile, clear.Email, clear.PreferredLanguage, PrivacyRoles.SeesMaskedContacts(user));
    }

    private static async Task<IReadOnlyList<VerbatimText>> Said(Case c, IQuerySession session, PersonalDataVault vault, CancellationToken ct)
    {
        if (await session.LoadAsync<Response>(c.ResponseId, ct) is not { } response) return [];
        var opened = await vault.Open(session, response, ct);
        var definition = (await PublicSources.Version(session, opened.QuestionnaireId, opened.QuestionnaireVersion, ct)).Definition;
        return Verbatims.Read(opened, definition);
    }
}

/// <summary>Case queries, always through a scope.</summary>
public static class CaseQueries
{
    public static IQueryable<Case> Inbox(IQuerySession session, CaseScope scope, CaseFilter filter, DateTimeOffset now)
    {
        var cases = scope.Filter(session.Query<Case>());
        if (filter.Status is { } status) cases = cases.Where(c => c.Status == status);
        if (filter.Dealer is { Length: > 0 } dealer) cases = cases.Where(c => c.DealerCode == dealer);
        if (filter.Region is { Length: > 0 } region) cases = cases.Where(c => c.RegionCode == region);
        if (filter.Assignee is { Length: > 0 } assignee) cases = cases.Where(c => c.AssigneeId == assignee);
        if (filter.Unassigned == true) cases = cases.Where(c => c.AssigneeId == null);
        if (filter.Overdue is { } overdue)
            cases = overdue
                ? cases.Where(c => c.Status == CaseStatus.Open && (c.ResolutionDueAt <= now || (c.FirstContactAt == null && c.FirstContactDueAt <= now)))
                : cases.Where(c => c.Status != CaseStatus.Open || (c.ResolutionDueAt > now && (c.FirstContactAt != null || c.FirstContactDueAt > now)));
        return cases;
    }

    /// <summary>
    /// Which of these customers have an open case (in any dealer), for the trigger fatigue rule "no survey while a case is open"
    /// (<c>CustomerContactHistory.HasOpenCase</c>, filled by trigger firing on ingest). Tenant-wide on purpose: fatigue is per customer.
    /// </summary>
    public static async Task<IReadOnlySet<string>> CustomersWithOpenCasesAsync(IQuerySession session, IReadOnlyCollection<string> customerIds, CancellationToken ct)
    {
        if (customerIds.Count == 0) return new HashSet<string>();
        var ids = customerIds.ToList();
        var found = await session.Query<Case>().Where(c => c.Status == CaseStatus.Open && ids.Contains(c.CustomerExternalId!)).Select(c => c.CustomerExternalId!).ToListAsync(ct);
        return found.ToHashSet();
    }
}
