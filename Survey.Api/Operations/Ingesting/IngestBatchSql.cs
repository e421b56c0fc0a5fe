using Marten;
using Npgsql;
using NpgsqlTypes;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.Ingesting;

/// <summary>A fresh event's customer as stored: the record (null when new) and its data key still wrapped (null when it has none).</summary>
public sealed record StoredCustomer(CustomerRecord? Record, string? WrappedKey);

/// <summary>
/// The first round trip of an ingestion batch: three statements sent together, run one after the other in the batch's
/// transaction. (1) Lock the batch's customers; (2) insert its events, <c>on conflict do nothing returning id</c> (the ids
/// returned are the fresh ones); (3) read the customers with their data keys, only the columns needed: the customer's JSON and
/// the data key's wrapped value (read out of the jsonb, not as a Marten document), by one primary-key lookup each. Each statement takes its own snapshot, so the
/// read sees what a batch that held one of these customers' locks before committed.
/// </summary>
/// <remarks>
/// Statement 3 reads the customers of every event of the batch, as it runs before the fresh ones are known; only those of fresh
/// events are deserialised and used. A batch that turns out all duplicates (a resend) pays for that read.
/// </remarks>
public sealed class IngestBatchSql
{
    private const string Lock =
        "select count(pg_advisory_xact_lock(k)) from (select distinct hashtextextended($1 || '/' || c, 0) as k from unnest($2::text[]) as c order by k) as locks";
    private readonly BulkDocuments<OperationalEventRecord> _events;
    private readonly ISerializer _serializer;
    private readonly string _load;

    public IngestBatchSql(IDocumentStore store)
    {
        _events = new BulkDocuments<OperationalEventRecord>(store);
        _serializer = store.Options.Serializer();
        // One primary-key lookup per customer in each table, whatever the statistics say: as joins, a plan made while a bulk load
        // outgrows the table's statistics hashed every row of the tenant for each batch (250 ms per 1,000 customers at 20,000 rows).
        // The data key's id is KeyIds.Customer: "customer:" and the customer's external id; its JSON is camel-cased (StorageSetup).
        _load = $"select u.id, (select c.data from {new BulkDocuments<CustomerRecord>(store).Table} c where c.tenant_id = $2 and c.id = u.id), " +
                $"(select k.data ->> 'wrapped' from {new BulkDocuments<Privacy.DataKey>(store).Table} k where k.tenant_id = $2 and k.id = 'customer:' || u.id) " +
                "from unnest($1::text[]) as u(id)";
    }

    /// <summary>Locks, inserts and reads in one round trip; returns the ids of the fresh events and the stored state of their customers.</summary>
    /// <remarks>The customer locks are transaction-scoped advisory locks (a hash of tenant and external id), taken in ascending order
    /// so two batches never wait on each other in a cycle, and before any row is written, so a batch holding row locks never waits
    /// for a customer lock.</remarks>
    public async Task<(HashSet<string> Inserted, Dictionary<string, StoredCustomer> Customers)> Begin(NpgsqlConnection connection, string tenant,
        IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, string source, DateTimeOffset now, CancellationToken ct)
    {
        var customerIds = items.Select(i => i.Customer.ExternalId).Distinct().ToArray();
        var lockCommand = new NpgsqlBatchCommand(Lock);
        lockCommand.Parameters.Add(new NpgsqlParameter<string> { Value = "customer/" + tenant });
        lockCommand.Parameters.Add(new NpgsqlParameter<string[]> { Value = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var loadCommand = new NpgsqlBatchCommand(_load);
        loadCommand.Parameters.Add(new NpgsqlParameter<string[]> { Value = customerIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        loadCommand.Parameters.Add(new NpgsqlParameter<string> { Value = tenant });
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                lockCommand,
                _events.InsertNewCommand(tenant, items.Select(i => new OperationalEventRecord(i.Event.ExternalId, i.Event, source, now)).ToList(), e => e.Id),
                loadCommand,
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) { } // the locks' count
        await reader.NextResultAsync(ct);
        var inserted = new HashSet<string>(items.Count);
        while (await reader.ReadAsync(ct)) inserted.Add(reader.GetString(0));
        await reader.NextResultAsync(ct);
        var wanted = items.Where(i => inserted.Contains(i.Event.ExternalId)).Select(i => i.Customer.ExternalId).ToHashSet();
        var customers = new Dictionary<string, StoredCustomer>(wanted.Count);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetString(0);
            if (!wanted.Contains(id) || reader.IsDBNull(1) && reader.IsDBNull(2)) continue; // not needed, or new
            customers[id] = new StoredCustomer(reader.IsDBNull(1) ? null : _serializer.FromJson<CustomerRecord>(reader, 1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }
        return (inserted, customers);
    }
}
