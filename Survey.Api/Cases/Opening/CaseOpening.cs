using Marten;
using Survey.Api.Cases.Settings;
using Survey.Api.Operations;
using Survey.Domain.Cases;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Cases.Opening;

/// <summary>
/// Called by the completion path, in its session, before it commits: when live rules match the completed response, one case is
/// started in the same transaction. The case id comes from the response id, and a completion that is retried decides nothing, so a
/// response opens at most one case however often completion is sent (and two racing completions fail on the response's version).
/// The case belongs to the invitation's dealer and that dealer's region; a response without an invitation (link, widget) opens a
/// tenant-level case with no dealer, escalated to the tenant's fallback contacts.
/// </summary>
public static class CaseOpening
{
    public static async Task<Guid?> OnCompleted(IDocumentSession session, Response completed, QuestionnaireDefinition definition, Invitation? invitation,
        DateTimeOffset now, CancellationToken ct)
    {
        var rules = await session.Query<CaseRule>().Where(r => r.Live).ToListAsync(ct);
        if (rules.Count == 0) return null;
        var matched = CaseRuleEvaluation.Match(rules, definition, completed.Answers);
        if (matched.Count == 0) return null;

        var dealerCode = invitation?.DealerCode;
        var region = dealerCode is null ? null : (await session.LoadAsync<DealerRecord>(dealerCode, ct))?.Dealer.RegionCode;
        var sla = (await CaseSettings.Load(session, ct)).Sla;
        var caseId = CaseIds.ForResponse(completed.Id);
        session.Events.StartStream<Case>(caseId, new CaseOpened(caseId, completed.Id, completed.QuestionnaireId, invitation?.Id, invitation?.CustomerExternalId,
            dealerCode, region, matched, sla.FirstContactDue(now), sla.ResolutionDue(now), now));
        return caseId;
    }
}
