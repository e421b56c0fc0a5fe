using Marten;
using Npgsql;
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
/// <remarks>
/// A batch costs a handful of statements whatever its size: lock its customers (transaction-scoped advisory locks, taken in
/// one order, so concurrent batches sharing a customer merge one after the other instead of overwriting each other's merge),
/// insert the events with <c>on conflict do nothing returning id</c> (the ids returned are the fresh ones; only those fire
/// triggers) and read the customers with their wrapped data keys, these three in one round trip (<see cref="IngestBatchSql"/>); merge
/// and seal in memory (a field whose value did not change
/// keeps its sealed value, and a customer the batch did not change is not written), and write customers and new keys with one
/// statement each, committed by Marten's SaveChanges together with the invitations that triggers started.
/// </remarks>
public static class EventIngestion
{
    /// <param name="afterInsert">Completed once the batch holds its customers' locks and has inserted its events: a batch started after
    /// that merges after this one and finds its events as duplicates (the CSV import's order), while this one seals and saves.</param>
    public static async Task<(int Accepted, int Duplicates)> Store(IDocumentStore store, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, string source,
        DateTimeOffset now, Firing firing, Privacy.PersonalDataVault vault, CancellationToken ct, TaskCompletionSource? afterInsert = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return await TryStore(store, tenant, items, source, now, firing, vault, ct, afterInsert); }
            catch (Exception e) when (attempt < 3 && IsConcurrentWrite(e))
            {
                // another writer created one of these customers' data keys at the same moment (or a deadlock with another
                // kind of write): the transaction rolled back, and the next attempt sees what the other one stored
            }
        }
    }

    /// <summary>A unique violation or a deadlock anywhere in the exception (Marten wraps PostgreSQL's, and reports several together).</summary>
    private static bool IsConcurrentWrite(Exception? e) => e switch
    {
        null => false,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected } => true,
        JasperFx.DocumentAlreadyExistsException => true,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsConcurrentWrite),
        _ => IsConcurrentWrite(e.InnerException),
    };

    private static async Task<(int, int)> TryStore(IDocumentStore store, string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, string source,
        DateTimeOffset now, Firing firing, Privacy.PersonalDataVault vault, CancellationToken ct, TaskCompletionSource? afterInsert)
    {
        var unique = items.DistinctBy(i => i.Event.ExternalId).ToList();
        await using var session = store.LightweightSession(tenant);
        await session.BeginTransactionAsync(ct);

        HashSet<string> inserted;
        Dictionary<string, StoredCustomer> stored;
        using (IngestPhases.Measure("lock, insert events, load customers and keys"))
            (inserted, stored) = await new IngestBatchSql(store).Begin(session.Connection!, tenant, unique, source, now, ct);
        afterInsert?.TrySetResult(); // this batch holds its customers' locks and its events' rows: a later batch may start
        var fresh = unique.Where(i => inserted.Contains(i.Event.ExternalId)).ToList();
        if (fresh.Count == 0) return (0, items.Count); // nothing written: disposing the session rolls back (and unlocks)

        var customerIds = fresh.Select(i => i.Customer.ExternalId).Distinct().ToArray();
        var records = new Dictionary<string, CustomerRecord>(stored.Count);
        foreach (var (id, s) in stored)
            if (s.Record is not null) records[id] = s.Record;
        var customers = records.ToDictionary(c => c.Key, c => c.Value.Customer);
        using (IngestPhases.Measure("merge"))
            foreach (var (_, customer) in fresh)
                customers[customer.ExternalId] = EventValidation.Merge(customers.GetValueOrDefault(customer.ExternalId), customer);

        // names and contact points are stored sealed under the customer's data key, unwrapped once per batch (never cached)
        Privacy.KeyRing keys;
        using (IngestPhases.Measure("unwrap keys"))
            keys = vault.Keys.Open(tenant, stored.Where(s => s.Value.WrappedKey is not null).Select(s => (Privacy.KeyIds.Customer(s.Key), s.Value.WrappedKey!)));
        var sealedRecords = new List<CustomerRecord>(customerIds.Length);
        var newKeys = new List<Privacy.DataKey>();
        using (IngestPhases.Measure("seal"))
        {
            var indexKey = vault.Keys.IndexKey(tenant);
            foreach (var id in customerIds)
            {
                var existing = records.GetValueOrDefault(id);
                var record = vault.Seal(session, keys, existing, customers[id], now, indexKey, newKeys);
                customers[id] = record.Customer;
                // a customer the batch did not change (same sealed values, consents and indexes) is not written again
                if (existing is null || !Privacy.PersonalDataVault.SameContent(existing, record)) sealedRecords.Add(record);
            }
        }
        // the new data keys and the customers are written with one statement each
        using (IngestPhases.Measure("queue customers and keys"))
        {
            new BulkDocuments<Privacy.DataKey>(store).QueueInsert(session, newKeys, k => k.Id);
            new BulkDocuments<CustomerRecord>(store).QueueUpsert(session, sealedRecords, c => c.Id);
            // SaveChanges commits only when it has work: a batch that changed no customer still commits its fresh events
            if (newKeys.Count == 0 && sealedRecords.Count == 0) session.QueueSqlCommand("select 1");
        }

        using (IngestPhases.Measure("triggers"))
            await Triggers.TriggerFiringOnIngest.Fire(session, tenant, fresh.Select(i => i.Event).ToList(), customers, firing.Rules, firing.Due, now, ct);
        using (IngestPhases.Measure("save (customers, keys, invitations + commit)"))
            await session.SaveChangesAsync(ct);
        IngestPhases.Stored(fresh.Count);
        return (fresh.Count, items.Count - fresh.Count);
    }

    public static IEnumerable<RejectedItem> Reject(int position, IEnumerable<InputProblem> problems) =>
        problems.Select(p => new RejectedItem(position, p.Path, p.Code, p.Message));
}
