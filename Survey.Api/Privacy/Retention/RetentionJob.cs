using Marten;
using Microsoft.Extensions.Options;
using Survey.Api.Operations;
using Survey.Api.Privacy.Erasing;
using Survey.Api.Storage;
using Survey.Domain.Responses;

namespace Survey.Api.Privacy.Retention;

/// <summary>A tenant's retention: responses and operational events older than <see cref="Months"/> are anonymised (0 keeps them).</summary>
public sealed record RetentionPolicy(string Id, int Months, DateTimeOffset ChangedAt)
{
    public const string TheId = "retention";
}

public sealed record RetentionResult(int Tenants, int ResponsesAnonymised, int EventsAnonymised);

/// <summary>
/// Recurring (daily, stable id <see cref="Id"/>): per tenant, destroys the data keys of responses started before the cutoff and
/// drops their sealed answers from the response documents, and strips the customer id and attributes from operational events
/// that happened before it. Works in batches, is safe to run twice and on several nodes (deleting a key twice is a no-op).
/// </summary>
public sealed class RetentionJob(IDocumentStore store, IOptions<PrivacyOptions> options, IOptions<StorageOptions> storage, TimeProvider time, DataKeys dataKeys)
{
    public const string Id = "privacy:retention";
    public const string Anonymised = "anonymised";
    private const int Batch = 500;

    public async Task<RetentionResult> Run(CancellationToken ct)
    {
        var schema = storage.Value.Schema;
        IReadOnlyList<string> tenants;
        await using (var query = store.QuerySession())
            // across all tenants: those with responses, events or a policy of their own
            tenants = await query.QueryAsync<string>(
                $"select tenant_id from {schema}.mt_doc_datakey union select tenant_id from {schema}.mt_doc_operationaleventrecord", ct);
        int responses = 0, events = 0, swept = 0;
        foreach (var tenant in tenants)
        {
            await using var session = store.LightweightSession(tenant);
            var months = (await session.LoadAsync<RetentionPolicy>(RetentionPolicy.TheId, ct))?.Months ?? options.Value.RetentionMonths;
            if (months <= 0) continue;
            swept++;
            var cutoff = time.GetUtcNow().AddMonths(-months);
            responses += await Responses(tenant, cutoff, ct);
            events += await Events(tenant, cutoff, ct);
        }
        return new RetentionResult(swept, responses, events);
    }

    private async Task<int> Responses(string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var session = store.LightweightSession(tenant);
            var keys = await session.Query<DataKey>().Where(k => k.Id.StartsWith("response:") && k.ItemAt < cutoff).Take(Batch).ToListAsync(ct);
            if (keys.Count == 0) break;
            var ids = keys.Select(k => Guid.ParseExact(k.Id["response:".Length..], "N")).ToArray();
            foreach (var key in keys) session.Delete(key);
            foreach (var response in await session.LoadManyAsync<Response>(ct, ids))
                if (PersonalDataVault.HasSealedText(response)) session.Store(CustomerErasure.Scrub(response));
            await session.SaveChangesAsync(ct);
            dataKeys.Forget(tenant, keys.Select(k => k.Id)); // this node's save-path cache (DataKeys)
            total += keys.Count;
        }
        return total;
    }

    private async Task<int> Events(string tenant, DateTimeOffset cutoff, CancellationToken ct)
    {
        var total = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var session = store.LightweightSession(tenant);
            var old = await session.Query<OperationalEventRecord>()
                .Where(e => e.Event.OccurredAt < cutoff && e.Event.CustomerExternalId != Anonymised).Take(Batch).ToListAsync(ct);
            if (old.Count == 0) break;
            foreach (var record in old)
                session.Store(record with { Event = record.Event with { CustomerExternalId = Anonymised, Attributes = new Dictionary<string, string>() } });
            await session.SaveChangesAsync(ct);
            total += old.Count;
        }
        return total;
    }
}
