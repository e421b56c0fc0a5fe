using Marten;
using Survey.Api.Invitations;
using Survey.Api.Operations;
using Survey.Api.Storage;
using Survey.Api.Triggers;
using Survey.Domain.Cases;
using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Triggers.Firing;

namespace Survey.Api.Cases.Actions;

/// <summary>
/// A re-survey is an ordinary invitation: <c>InvitationScheduled</c> due now, on every channel the customer has consent and a contact
/// point for (mini-program, SMS, e-mail), put in the due table in the same transaction as <c>CaseCustomerResurveyed</c>; the
/// invitation dispatcher sends it like any other. Its event reference is <c>case:{caseId}</c> and it has no trigger (empty id).
/// Its id comes from the case and round, so a retried request cannot make a second one.
/// </summary>
public static class Resurveying
{
    public static readonly TimeSpan OpenFor = TimeSpan.FromDays(7);

    public sealed record Planned(Guid InvitationId, Guid QuestionnaireId, int QuestionnaireVersion, InvitationScheduled Event, string TenantId);

    public static async Task<Planned> Prepare(IDocumentSession session, Case c, Guid? questionnaireId, DateTimeOffset now, CancellationToken ct)
    {
        if (c.CustomerExternalId is null) throw new RuleViolationException("no-customer", "This case came from an anonymous response; there is nobody to re-survey.");
        var customer = (await session.LoadAsync<CustomerRecord>(c.CustomerExternalId, ct))?.Customer
            ?? throw new RuleViolationException("no-customer", "The customer is no longer in the operational data.");
        if (customer.OptedOut) throw new RuleViolationException("opted-out", "The customer opted out of surveys.");
        var channels = ChannelSelection.Choose([Channel.MiniProgram, Channel.Sms, Channel.Email], customer).Usable;
        if (channels.Count == 0) throw new RuleViolationException("no-usable-channel", "The customer has no channel with consent and a contact point.");
        var questionnaire = questionnaireId ?? c.QuestionnaireId;
        var version = (await session.LoadAsync<Questionnaire>(questionnaire, ct))?.LatestPublishedVersion
            ?? throw new InvalidInputException([new("questionnaireId", "not-published", "The questionnaire does not exist or has no published version.")]);
        var invitationId = CaseIds.ResurveyInvitation(c.Id, c.Round);
        var scheduled = new InvitationScheduled(invitationId, Guid.Empty, 0, $"case:{c.Id}", customer.ExternalId, c.DealerCode, questionnaire, version,
            channels.Select(TriggerFiringOnIngest.ChannelName).ToList(), now, now + OpenFor, null, now);
        return new Planned(invitationId, questionnaire, version, scheduled, session.TenantId);
    }

    public static void Schedule(IDocumentSession session, DueInvitations due, Planned planned)
    {
        session.Events.StartStream<Invitation>(planned.InvitationId, planned.Event);
        session.QueueSqlCommand(due.UpsertSql, planned.InvitationId, planned.TenantId, planned.Event.DueAt.ToUniversalTime());
    }
}
