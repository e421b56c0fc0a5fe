using Marten;
using Microsoft.Extensions.Options;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Responses;

/// <summary>
/// Recurring (every 15 minutes, stable id): records started responses idle for longer than the configured time as abandoned.
/// Safe to run twice and on several nodes: the decider records nothing for a response already abandoned or active again,
/// and Marten's version check stops two nodes recording the same abandonment.
/// </summary>
public sealed class AbandonResponsesJob(IDocumentStore store, IOptions<RespondentOptions> options, IOptions<Storage.StorageOptions> storage, TimeProvider time)
{
    public const string Id = "responses:abandon";

    public async Task<int> Run(CancellationToken ct)
    {
        var idle = options.Value.AbandonAfter;
        var cutoff = time.GetUtcNow() - idle;
        IReadOnlyList<(string Tenant, Guid Id)> stale;
        await using (var query = store.QuerySession())
        {
            // across all tenants at once: the one place that reads the table directly
            var rows = await query.QueryAsync<string>(
                $"select d.tenant_id || '|' || d.id::text from {storage.Value.Schema}.mt_doc_response d " +
                "where d.data ->> 'status' = 'Started' and (d.data ->> 'lastActivityAt')::timestamptz < ? limit 5000", ct, cutoff);
            stale = rows.Select(r => r.Split('|')).Select(p => (p[0], Guid.Parse(p[1]))).ToList();
        }
        var abandoned = 0;
        foreach (var (tenant, id) in stale)
        {
            await using var session = store.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Response>(id, ct);
            if (stream.Aggregate is null) continue;
            var events = ResponseDecider.Decide(new AbandonResponse(idle), stream.Aggregate, null!, time.GetUtcNow());
            if (events.Length == 0) continue;
            stream.AppendMany(events);
            await session.SaveChangesAsync(ct);
            abandoned++;
        }
        return abandoned;
    }
}
