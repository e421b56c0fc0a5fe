using Marten;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.Ingesting;

/// <summary>A row or item that was not kept, and why: its position (0-based index, or CSV row number), the field, the reason.</summary>
public sealed record RejectedItem(int Position, string Path, string Code, string Reason);

public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<RejectedItem> Rejected);

/// <summary>What firing triggers on new events needs.</summary>
public sealed record Firing(Survey.Domain.Triggers.Firing.TenantFiringRules Rules, Invitations.DueInvitations Due);

/// <summary>
/// Stores validated events once per external id (a resent event is counted as a duplicate, never stored twice) and
/// merges the customers they carry. One batch is one transaction: every accepted event of a 2xx answer is committed.
/// </summary>
public static class EventIngestion
{
    public static async Task<(int Accepted, int Duplicates)> Store(IDocumentStore store, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, string source,
        DateTimeOffset now, Firing firing, Privacy.PersonalDataVault vault, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await TryStore(store, tenant, items, source, now, firing, vault, ct); }
            catch (Exception e) when (attempt < 3 && IsConcurrentInsert(e))
            {
                // another request stored one of these events (or the customer's data key) at the same moment: the next attempt
                // sees it as a duplicate
            }
        }
    }

    /// <summary>Marten reports several clashing inserts of one batch together, as an AggregateException.</summary>
    private static bool IsConcurrentInsert(Exception e) =>
        e is JasperFx.DocumentAlreadyExistsException || e is AggregateException { InnerExceptions.Count: > 0 } all && all.InnerExceptions.All(IsConcurrentInsert);

    private static async Task<(int, int)> TryStore(IDocumentStore store, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, string source,
        DateTimeOffset now, Firing firing, Privacy.PersonalDataVault vault, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        var unique = items.DistinctBy(i => i.Event.ExternalId).ToList();
        HashSet<string> existing;
        using (IngestPhases.Measure("load events"))
            existing = (await session.LoadManyAsync<OperationalEventRecord>(ct, unique.Select(i => i.Event.ExternalId).ToArray())).Select(e => e.Id).ToHashSet();
        var fresh = unique.Where(i => !existing.Contains(i.Event.ExternalId)).ToList();
        if (fresh.Count == 0) return (0, items.Count);

        var customerIds = fresh.Select(i => i.Customer.ExternalId).Distinct().ToArray();
        Dictionary<string, CustomerRecord> records;
        using (IngestPhases.Measure("load customers"))
            records = (await session.LoadManyAsync<CustomerRecord>(ct, customerIds)).ToDictionary(c => c.Id);
        var customers = records.ToDictionary(c => c.Key, c => c.Value.Customer);
        using (IngestPhases.Measure("merge"))
            foreach (var (@event, customer) in fresh)
            {
                session.Insert(new OperationalEventRecord(@event.ExternalId, @event, source, now));
                customers[customer.ExternalId] = EventValidation.Merge(customers.GetValueOrDefault(customer.ExternalId), customer);
            }
        // names and contact points are stored sealed under the customer's data key
        Privacy.KeyRing keys;
        using (IngestPhases.Measure("load keys"))
            keys = await vault.Keys.Load(session, customerIds.Select(Privacy.KeyIds.Customer), ct);
        var sealedRecords = new List<CustomerRecord>();
        using (IngestPhases.Measure("seal"))
            foreach (var (id, customer) in customers.Where(c => customerIds.Contains(c.Key)).ToList())
            {
                var record = vault.Seal(session, keys, records.GetValueOrDefault(id), customer, now);
                session.Store(record);
                sealedRecords.Add(record);
                customers[id] = record.Customer;
            }
        using (IngestPhases.Measure("triggers"))
            await Triggers.TriggerFiringOnIngest.Fire(session, tenant, fresh.Select(i => i.Event).ToList(), customers, firing.Rules, firing.Due, now, ct);
        if (IngestPhases.Enabled)
            using (IngestPhases.Measure("serialise (estimate: the same documents again)"))
            {
                var serializer = store.Options.Serializer();
                foreach (var (@event, _) in fresh) serializer.ToJson(new OperationalEventRecord(@event.ExternalId, @event, source, now));
                foreach (var record in sealedRecords) serializer.ToJson(record);
            }
        using (IngestPhases.Measure("save (Marten batch + commit)"))
            await session.SaveChangesAsync(ct);
        IngestPhases.Stored(fresh.Count);
        return (fresh.Count, items.Count - fresh.Count);
    }

    public static IEnumerable<RejectedItem> Reject(int position, IEnumerable<InputProblem> problems) =>
        problems.Select(p => new RejectedItem(position, p.Path, p.Code, p.Message));
}
