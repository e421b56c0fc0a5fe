using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Survey.Api.Cases.Settings;
using Survey.Api.Channels;
using Survey.Api.Operations;
using Survey.Api.Respondents;
using Survey.Api.Storage;
using Survey.Domain.Cases;
using Survey.Domain.Operations;

namespace Survey.Api.Cases.Escalating;

/// <summary>
/// Recurring Hangfire job (every minute, stable id <see cref="JobId"/>): finds open cases past an SLA that are not escalated yet, and
/// escalations whose e-mail has not gone out, across tenants. Escalating is an event decided against the case's version, so a
/// retried or concurrent run records it once. The e-mail goes to the region's managers (the tenant's fallback contacts for cases
/// without a region) through the e-mail channel (SMTP, or the outbox folder without one); its outcome is recorded after sending, so
/// a crash in between resends it on the next run with the same Message-ID. A per-case advisory lock keeps two nodes from
/// notifying the same case at once.
/// </summary>
public sealed class CaseEscalationJob(IDocumentStore store, NpgsqlDataSource database, IEnumerable<IChannelSender> senders, IOptions<StorageOptions> storage,
    IOptions<RespondentOptions> respondents, TimeProvider time, ILogger<CaseEscalationJob> logger)
{
    public const string JobId = "cases:escalate";
    public const int BatchSize = 500;

    public async Task<int> Run(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var handled = 0;
        foreach (var (tenant, id) in await Candidates(now, ct))
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            if (!await Lock(connection, "pg_try_advisory_lock", id, ct)) continue;
            try { handled += await Handle(tenant, id, now, ct) ? 1 : 0; }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Case {CaseId} could not be escalated now: {Error}", id, e.GetType().Name);
            }
            finally { await Lock(connection, "pg_advisory_unlock", id, CancellationToken.None); }
        }
        return handled;
    }

    private async Task<IReadOnlyList<(string Tenant, Guid Id)>> Candidates(DateTimeOffset now, CancellationToken ct)
    {
        // across all tenants at once: the one place that reads the case table directly
        await using var command = database.CreateCommand($"""
            select d.tenant_id, d.id from {storage.Value.Schema}.mt_doc_case d
            where (d.data ->> 'status' = 'Open' and (
                    (d.data ->> 'firstContactAt' is null and not (d.data ->> 'firstContactEscalated')::boolean and (d.data ->> 'firstContactDueAt')::timestamptz <= @now)
                 or (not (d.data ->> 'resolutionEscalated')::boolean and (d.data ->> 'resolutionDueAt')::timestamptz <= @now)))
               or jsonb_array_length(coalesce(d.data -> 'pendingNotifications', '[]'::jsonb)) > 0
            limit {BatchSize}
            """);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        var rows = new List<(string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.GetGuid(1)));
        return rows;
    }

    private async Task<bool> Handle(string tenant, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        Case state;
        await using (var session = store.LightweightSession(tenant))
        {
            var stream = await session.Events.FetchForWriting<Case>(id, ct);
            if (stream.Aggregate is null) return false;
            var escalated = CaseEscalation.Due(stream.Aggregate, now);
            if (escalated.Length > 0)
            {
                stream.AppendMany(escalated);
                try { await session.SaveChangesAsync(ct); }
                catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException) { return false; } // someone else changed it: next run
                logger.LogInformation("Case {CaseId} escalated: {Slas}", id, string.Join(", ", escalated.OfType<CaseEscalated>().Select(e => e.Sla)));
            }
            state = escalated.Aggregate(stream.Aggregate, CaseDecider.Evolve);
        }
        foreach (var pending in state.PendingNotifications.ToList())
            await Notify(tenant, state, pending, ct);
        return true;
    }

    private async Task Notify(string tenant, Case c, PendingNotification pending, CancellationToken ct)
    {
        IReadOnlyList<ManagerContact> recipients;
        Dealer? dealer;
        await using (var query = store.QuerySession(tenant))
        {
            dealer = c.DealerCode is { } code ? (await query.LoadAsync<DealerRecord>(code, ct))?.Dealer : null;
            var region = c.RegionCode is { } r ? (await query.LoadAsync<RegionRecord>(r, ct))?.Region : null;
            recipients = region is { Managers.Count: > 0 } ? region.Managers : (await CaseSettings.Load(query, ct)).EscalateTo;
        }
        var email = senders.LastOrDefault(s => s.Channel == ChannelKind.Email);
        var baseUrl = respondents.Value.PublicBaseUrl ?? "http://127.0.0.1:5080";
        var (sent, failed) = (0, 0);
        foreach (var to in recipients)
        {
            var result = email is null ? SendResult.Permanent("no e-mail sender") : await email.Send(EscalationEmail.Compose(tenant, c, pending.Sla, pending.Round, to, dealer, baseUrl), ct);
            switch (result.Outcome)
            {
                case SendOutcome.Accepted: sent++; break;
                case SendOutcome.PermanentFailure: failed++; break;
                default:
                    logger.LogWarning("Escalation e-mail for case {CaseId} not sent now ({Outcome}); the next run tries again", c.Id, result.Outcome);
                    return;
            }
        }
        var outcome = recipients.Count == 0 ? "no-recipients" : failed == 0 ? "sent" : sent == 0 ? "failed" : "partly-sent";
        await using var session = store.LightweightSession(tenant);
        var stream = await session.Events.FetchForWriting<Case>(c.Id, ct);
        var events = CaseEscalation.Notified(stream.Aggregate!, pending.Sla, pending.Round, sent, outcome, time.GetUtcNow());
        if (events.Length == 0) return;
        stream.AppendMany(events);
        try { await session.SaveChangesAsync(ct); }
        catch (Exception e) when (e is ConcurrencyException or EventStreamUnexpectedMaxEventIdException) { }
    }

    private static async Task<bool> Lock(NpgsqlConnection connection, string function, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}(@key)", connection);
        command.Parameters.AddWithValue("key", BitConverter.ToInt64(id.ToByteArray(), 0));
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
