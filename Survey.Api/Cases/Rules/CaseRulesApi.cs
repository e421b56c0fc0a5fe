using Survey.Api.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Cases;
using Survey.Domain.Common;

namespace Survey.Api.Cases.Rules;

/// <summary>
/// Case rules per tenant. Each rule is a stream: every change is a new numbered version (kept as an event, so who changed what and
/// when stays on record) and retiring ends it. Cases record the rule version that opened them.
/// </summary>
public static class CaseRulesApi
{
    public static IEndpointRouteBuilder MapCaseRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/case-rules").WithTags("Cases").RequireReadWrite(Security.Policies.DesignRead, Security.Policies.Design);
        group.MapGet("/", List).WithName("ListCaseRules").WithSummary("List the tenant's case rules (retired ones with ?includeRetired=true)");
        group.MapGet("/{id:guid}", Get).WithName("GetCaseRule").WithSummary("Read one case rule");
        group.MapPut("/{id:guid}", Put).WithName("PutCaseRule").WithSummary("Create a case rule, or save a new version of it (the client makes the id)")
            .WithDescription("Conditions: npsAtMost (threshold 0-9), csatAtMost (threshold 1-4), choiceSelected (questionKey + choice), " +
                "textContains (keywords, case-insensitive, zh and en). Send If-Match to make sure nobody changed it meanwhile.")
            .WithRequestExample("""{ "name": "Detractors", "condition": { "kind": "npsAtMost", "threshold": 6 }, "active": true }""");
        group.MapDelete("/{id:guid}", Retire).WithName("RetireCaseRule").WithSummary("Retire a case rule; cases it opened stay");
        return app;
    }

    private static async Task<Ok<List<CaseRule>>> List(bool? includeRetired, IQuerySession session, CancellationToken ct)
    {
        IQueryable<CaseRule> query = session.Query<CaseRule>();
        if (includeRetired != true) query = query.Where(r => !r.Retired);
        return TypedResults.Ok((await query.ToListAsync(ct)).OrderBy(r => r.Definition.Name, StringComparer.Ordinal).ToList());
    }

    private static async Task<Ok<CaseRule>> Get(Guid id, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var rule = await session.LoadAsync<CaseRule>(id, ct) ?? throw new NotFoundException($"Case rule {id} does not exist.");
        http.Response.SetETag(rule.Version);
        return TypedResults.Ok(rule);
    }

    private static async Task<Ok<CaseRule>> Put(Guid id, CaseRuleDefinition definition, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var (state, version) = await session.Decide<CaseRule>(id, http.Request.ExpectedVersion(),
            current => CaseRuleDecider.Define(current, id, definition, time.GetUtcNow()), CaseRuleDecider.Evolve, ct);
        state.Version = version;
        http.Response.SetETag(version);
        return TypedResults.Ok(state);
    }

    private static async Task<NoContent> Retire(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var (_, version) = await session.Decide<CaseRule>(id, http.Request.ExpectedVersion(),
            current => CaseRuleDecider.Retire(current, time.GetUtcNow()), CaseRuleDecider.Evolve, ct);
        http.Response.SetETag(version);
        return TypedResults.NoContent();
    }
}
