using System.Security.Cryptography;
using System.Text;
using Marten;
using Survey.Api.Invitations;
using Survey.Api.Operations;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Firing;

namespace Survey.Api.Triggers;

/// <summary>Bound from <c>Triggers</c>: the tenant's fatigue rules and its time zone of last resort for send windows.</summary>
public sealed class TriggerOptions
{
    public int OneInvitationPerDays { get; set; } = 30;
    public string TenantTimeZone { get; set; } = "Asia/Shanghai";

    public TenantFiringRules Rules => new(new FatigueRules(OneInvitationPerDays, NotWhileCaseOpen: true), TenantTimeZone);
}

/// <summary>
/// Fires live triggers for newly stored operational events, in the same transaction that stores them: each decision becomes
/// an invitation stream (scheduled, with its due time in the due table, or suppressed with its reason). The invitation id is
/// derived from trigger and event, so the same event can never schedule a trigger twice.
/// </summary>
public static class TriggerFiringOnIngest
{
    public static async Task Fire(IDocumentSession session, string tenant, IReadOnlyList<OperationalEvent> events, IReadOnlyDictionary<string, Customer> customers,
        TenantFiringRules rules, DueInvitations due, DateTimeOffset now, CancellationToken ct)
    {
        if (events.Count == 0) return;
        var triggers = await session.Query<Trigger>().Where(t => t.LatestPublishedVersion != null && !t.Archived).ToListAsync(ct);
        triggers = triggers.Where(t => events.Any(e => e.Type == t.LatestPublished!.EventType)).ToList();
        if (triggers.Count == 0) return;

        var dealerCodes = events.Select(e => e.DealerCode).OfType<string>().Distinct().ToArray();
        var dealers = dealerCodes.Length == 0 ? new Dictionary<string, Dealer>()
            : (await session.LoadManyAsync<DealerRecord>(ct, dealerCodes)).ToDictionary(d => d.Id, d => d.Dealer);
        var customerIds = events.Select(e => e.CustomerExternalId).Distinct().ToList();
        var since = now.AddDays(-Math.Max(1, rules.Fatigue.OneInvitationPerDays ?? 1));
        var recent = (await session.Query<Invitation>()
                .Where(i => customerIds.Contains(i.CustomerExternalId!) && i.Status != InvitationStatus.Suppressed && i.CreatedAt >= since.AddDays(-90))
                .ToListAsync(ct))
            .GroupBy(i => i.CustomerExternalId!)
            .ToDictionary(g => g.Key, g => g.Select(i => i.DueAt ?? i.CreatedAt).ToList());
        // "no survey while the customer has an open case": cases of any dealer count, fatigue is per customer
        var withOpenCase = await Cases.Inbox.CaseQueries.CustomersWithOpenCasesAsync(session, customerIds, ct);
        var versions = new Dictionary<Guid, int?>();

        foreach (var e in events.OrderBy(e => e.OccurredAt))
        {
            if (!customers.TryGetValue(e.CustomerExternalId, out var customer)) continue;
            var dealer = e.DealerCode is { } code ? dealers.GetValueOrDefault(code) : null;
            foreach (var trigger in triggers.Where(t => t.LatestPublished!.EventType == e.Type))
            {
                var history = new CustomerContactHistory(recent.GetValueOrDefault(e.CustomerExternalId) ?? [], HasOpenCase: withOpenCase.Contains(e.CustomerExternalId));
                var decision = TriggerFiring.Decide(trigger, e, customer, dealer, dealer?.RegionCode, rules, history, now);
                var invitationId = InvitationIdFor(trigger.Id, e.ExternalId);
                switch (decision)
                {
                    case FiringDecision.Scheduled s:
                        if (!versions.TryGetValue(s.QuestionnaireId, out var version))
                            versions[s.QuestionnaireId] = version = (await session.LoadAsync<Questionnaire>(s.QuestionnaireId, ct))?.LatestPublishedVersion;
                        if (version is null)
                        {
                            session.Events.StartStream<Invitation>(invitationId, new InvitationSuppressed(invitationId, trigger.Id, e.ExternalId, customer.ExternalId,
                                "questionnaire-unpublished: the trigger's questionnaire has no published version", now));
                            break;
                        }
                        session.Events.StartStream<Invitation>(invitationId, new InvitationScheduled(invitationId, trigger.Id, s.TriggerVersion, e.ExternalId, customer.ExternalId,
                            e.DealerCode, s.QuestionnaireId, version.Value, s.ChannelOrder.Select(ChannelName).ToList(), s.DueAt, s.ExpiresAt, s.ReminderAt, now, s.ReminderIf?.ToString()));
                        session.QueueSqlCommand(due.UpsertSql, invitationId, tenant, s.DueAt.ToUniversalTime()); // Npgsql writes timestamptz from UTC only
                        (recent.TryGetValue(e.CustomerExternalId, out var list) ? list : recent[e.CustomerExternalId] = []).Add(s.DueAt);
                        break;
                    case FiringDecision.Suppressed s:
                        session.Events.StartStream<Invitation>(invitationId, new InvitationSuppressed(invitationId, trigger.Id, e.ExternalId, customer.ExternalId,
                            $"{s.Suppression.Code}: {s.Suppression.Detail}", now));
                        break;
                }
            }
        }
    }

    public static string ChannelName(Channel channel) => channel switch
    {
        Channel.MiniProgram => "miniProgram",
        Channel.Sms => "sms",
        _ => "email",
    };

    /// <summary>A stable id per (trigger, event): replays and retries address the same invitation.</summary>
    public static Guid InvitationIdFor(Guid triggerId, string eventExternalId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{triggerId:N}/{eventExternalId}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5 layout (name-based)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
