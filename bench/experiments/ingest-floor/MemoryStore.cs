using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy;
using Survey.Domain.Operations;

namespace IngestFloor;

/// <summary>
/// Variant (a): no database. Events and customers (records as objects, keys wrapped as the database would return them) live in
/// dictionaries; a batch waits for the batches before it that share a customer (what the advisory locks do), so merges see
/// what came before. What is left is the API side of the work: parse, validate, merge, unwrap, seal, blind indexes.
/// </summary>
public sealed class MemoryStore : IBatchStore
{
    private readonly HashSet<string> _events = [];
    private readonly Dictionary<string, StoredCustomer> _customers = [];
    private readonly Dictionary<string, Task> _owners = []; // customer -> the commit of the last batch that locked it
    private readonly object _gate = new();

    public string Name => "(a) parse + validate + seal, no database";

    public async Task<IBatchTransaction> Begin(string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waits = new List<Task>();
        lock (_gate)
            foreach (var id in items.Select(i => i.Customer.ExternalId).Distinct())
            {
                if (_owners.TryGetValue(id, out var before)) waits.Add(before);
                _owners[id] = committed.Task;
            }
        await Task.WhenAll(waits);
        var inserted = new HashSet<string>(items.Count);
        var customers = new Dictionary<string, StoredCustomer>();
        lock (_gate)
        {
            foreach (var (e, _) in items)
                if (_events.Add(e.ExternalId)) inserted.Add(e.ExternalId);
            foreach (var id in items.Select(i => i.Customer.ExternalId).Distinct())
                if (_customers.TryGetValue(id, out var stored)) customers[id] = stored;
        }
        return new Transaction(this, inserted, customers, committed);
    }

    private sealed class Transaction(MemoryStore store, HashSet<string> inserted, Dictionary<string, StoredCustomer> customers, TaskCompletionSource committed) : IBatchTransaction
    {
        public HashSet<string> Inserted => inserted;
        public Dictionary<string, StoredCustomer> Customers => customers;

        public Task Commit(IReadOnlyList<CustomerRecord> records, IReadOnlyList<DataKey> newKeys)
        {
            lock (store._gate)
            {
                var wrapped = newKeys.ToDictionary(k => k.Id, k => k.Wrapped);
                foreach (var record in records)
                {
                    var key = wrapped.GetValueOrDefault(KeyIds.Customer(record.Id)) ?? store._customers.GetValueOrDefault(record.Id)?.WrappedKey;
                    store._customers[record.Id] = new StoredCustomer(record, key);
                }
            }
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            committed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    public Task Clear()
    {
        lock (_gate) { _events.Clear(); _customers.Clear(); _owners.Clear(); }
        return Task.CompletedTask;
    }

    public Task<(long Events, long Customers, long Keys)> Counts(string tenant)
    {
        lock (_gate) return Task.FromResult(((long)_events.Count, (long)_customers.Count, (long)_customers.Values.Count(c => c.WrappedKey is not null)));
    }

    public Task<Dictionary<string, StoredCustomer>> Read(string tenant, IReadOnlyList<string> ids)
    {
        lock (_gate) return Task.FromResult(ids.Where(_customers.ContainsKey).ToDictionary(id => id, id => _customers[id]));
    }
}
