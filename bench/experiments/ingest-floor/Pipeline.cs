using System.Globalization;
using System.Runtime.InteropServices;
using Marten;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy;
using Survey.Domain.Common;
using Survey.Domain.Operations;
using Sylvan.Data.Csv;

namespace IngestFloor;

/// <summary>Where one batch's events and customers are kept: in memory (variant a), lean typed tables (b), Marten's tables (c).</summary>
public interface IBatchStore
{
    string Name { get; }
    /// <summary>Locks the batch's customers, inserts its events (new external ids only) and reads its customers with their wrapped keys.</summary>
    Task<IBatchTransaction> Begin(string tenant, IReadOnlyList<(OperationalEvent Event, Customer Customer)> items, DateTimeOffset now);
    /// <summary>Empties the tables (before a measured import).</summary>
    Task Clear();
    Task<(long Events, long Customers, long Keys)> Counts(string tenant);
    /// <summary>Stored customers with their wrapped data keys.</summary>
    Task<Dictionary<string, StoredCustomer>> Read(string tenant, IReadOnlyList<string> ids);
}

public interface IBatchTransaction : IAsyncDisposable
{
    HashSet<string> Inserted { get; }
    Dictionary<string, StoredCustomer> Customers { get; }
    /// <summary>Writes the changed customers (upsert) and the new data keys, and commits.</summary>
    Task Commit(IReadOnlyList<CustomerRecord> customers, IReadOnlyList<DataKey> newKeys);
}

public sealed record ImportCounts(long Rows, long Accepted, long Duplicates, long Rejected);

/// <summary>Thread CPU per phase (exact for synchronous code: parse and validate on the reader, merge + unwrap + seal on a batch's task).</summary>
public sealed class Phases
{
    private long _parse, _validate, _seal, _copy;
    public double ParseMs => _parse / 1e6;
    /// <summary>Writing the COPY rows (JSON of documents or attributes and consents included; flushes to the socket too).</summary>
    public double CopyMs => _copy / 1e6;
    public void AddCopy(long ns) => Interlocked.Add(ref _copy, ns);
    public double ValidateMs => _validate / 1e6;
    public double SealMs => _seal / 1e6;
    public void Reset() { _parse = 0; _validate = 0; _seal = 0; _copy = 0; }
    public void AddParse(long ns) => Interlocked.Add(ref _parse, ns);
    public void AddValidate(long ns) => Interlocked.Add(ref _validate, ns);
    public void AddSeal(long ns) => Interlocked.Add(ref _seal, ns);

    [StructLayout(LayoutKind.Sequential)] private struct Timespec { public long Seconds, Nanoseconds; }
    [DllImport("libc", EntryPoint = "clock_gettime")] private static extern int ClockGetTime(int clock, out Timespec time);
    public static long ThreadCpuNs() => ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t) == 0 ? t.Seconds * 1_000_000_000 + t.Nanoseconds : 0;
}

/// <summary>
/// The CSV import's work, with the product's own code for each step: Sylvan's CSV reader and the row mapping of
/// <c>CsvImport</c> (copied: it is private there), <see cref="EventValidation.Check"/> (libphonenumber E.164, e-mail check),
/// <see cref="EventValidation.Merge"/>, <see cref="DataKeys.Open"/> (unwrap) and <see cref="PersonalDataVault.Seal"/> (seal +
/// blind indexes, a new data key per new customer). Batches of 1,000 rows, two stored at once, a batch starting once the previous
/// one holds its customers' locks and its events (the file's order decides merges), as <c>CsvImport</c> does. Triggers are not
/// fired (the bench has none live; firing them is a query per batch).
/// </summary>
public sealed class Pipeline(IBatchStore store, PersonalDataVault vault, IDocumentStore marten, string tenant, Phases phases, int batchSize = 1000, int inFlight = 2)
{
    private long _newKeys;

    /// <summary>Data keys created so far (one per new customer: a returning customer keeps its key).</summary>
    public long NewKeys => Interlocked.Read(ref _newKeys);

    private static readonly string[] Known = ["externalId", "type", "occurredAt", "dealerCode", "customerExternalId", "customerName", "email", "mobile",
        "wechatOpenId", "preferredLanguage", "timeZone", "consentEmail", "consentSms", "consentMiniProgram"];

    public async Task<ImportCounts> Run(TextReader text)
    {
        long rows = 0, accepted = 0, duplicates = 0, rejected = 0;
        var storing = new Queue<Task<(int Accepted, int Duplicates)>>();
        Task? previousBegun = null;
        async Task Stored()
        {
            var (a, d) = await storing.Dequeue();
            accepted += a; duplicates += d;
        }
        async Task Start(List<(OperationalEvent, Customer)> batch)
        {
            while (storing.Count >= inFlight) await Stored();
            if (previousBegun is not null) await previousBegun;
            var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = Task.Run(() => Store(batch, begun));
            previousBegun = Task.WhenAny(begun.Task, task);
            storing.Enqueue(task);
        }

        await using var csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true, MaxBufferSize = 1024 * 1024 });
        var header = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        if (header.Any(h => !Known.Contains(h) && !h.StartsWith("attr.", StringComparison.Ordinal))) throw new InvalidDataException("unknown column");
        var layout = new Layout(header);
        var batch = new List<(OperationalEvent, Customer)>(batchSize);
        while (await csv.ReadAsync())
        {
            rows++;
            var t0 = Phases.ThreadCpuNs();
            var (incoming, parseProblems) = Read(csv, layout);
            var t1 = Phases.ThreadCpuNs();
            var (@event, customer, problems) = parseProblems.Count == 0 ? EventValidation.Check(incoming!, "CN", DateTimeOffset.UtcNow) : (null, null, parseProblems);
            phases.AddParse(t1 - t0);
            phases.AddValidate(Phases.ThreadCpuNs() - t1);
            if (problems.Count > 0) rejected++;
            else batch.Add((@event!, customer!));
            if (batch.Count == batchSize)
            {
                await Start(batch);
                batch = new List<(OperationalEvent, Customer)>(batchSize);
            }
        }
        if (batch.Count > 0) await Start(batch);
        while (storing.Count > 0) await Stored();
        return new ImportCounts(rows, accepted, duplicates, rejected);
    }

    /// <summary>One batch, as <c>EventIngestion.TryStore</c> does it (without triggers).</summary>
    private async Task<(int, int)> Store(List<(OperationalEvent Event, Customer Customer)> items, TaskCompletionSource begun)
    {
        var unique = items.DistinctBy(i => i.Event.ExternalId).ToList();
        var now = DateTimeOffset.UtcNow;
        await using var transaction = await store.Begin(tenant, unique, now);
        begun.TrySetResult();
        var fresh = unique.Where(i => transaction.Inserted.Contains(i.Event.ExternalId)).ToList();
        if (fresh.Count == 0) return (0, items.Count);

        var t0 = Phases.ThreadCpuNs();
        var customerIds = fresh.Select(i => i.Customer.ExternalId).Distinct().ToArray();
        var records = new Dictionary<string, CustomerRecord>(transaction.Customers.Count);
        foreach (var (id, s) in transaction.Customers)
            if (s.Record is not null) records[id] = s.Record;
        var customers = records.ToDictionary(c => c.Key, c => c.Value.Customer);
        foreach (var (_, customer) in fresh)
            customers[customer.ExternalId] = EventValidation.Merge(customers.GetValueOrDefault(customer.ExternalId), customer);
        var keys = vault.Keys.Open(tenant, transaction.Customers.Where(s => s.Value.WrappedKey is not null).Select(s => (KeyIds.Customer(s.Key), s.Value.WrappedKey!)));
        var sealedRecords = new List<CustomerRecord>(customerIds.Length);
        var newKeys = new List<DataKey>();
        await using (var session = marten.LightweightSession(tenant)) // Seal takes the tenant from it; nothing is queued into it here
        {
            var indexKey = vault.Keys.IndexKey(tenant);
            foreach (var id in customerIds)
            {
                var existing = records.GetValueOrDefault(id);
                var record = vault.Seal(session, keys, existing, customers[id], now, indexKey, newKeys);
                if (existing is null || !PersonalDataVault.SameContent(existing, record)) sealedRecords.Add(record);
            }
        }
        phases.AddSeal(Phases.ThreadCpuNs() - t0);
        Interlocked.Add(ref _newKeys, newKeys.Count);
        await transaction.Commit(sealedRecords, newKeys);
        return (fresh.Count, items.Count - fresh.Count);
    }

    // ---- CsvImport's row mapping (private there), unchanged ----

    private sealed class Layout(string[] header)
    {
        private readonly Dictionary<string, int> _index = header.Select((h, i) => (h, i)).DistinctBy(c => c.h).ToDictionary(c => c.h, c => c.i);
        public readonly (string Name, int Index)[] Attributes = header.Select((h, i) => (h, i)).Where(c => c.h.StartsWith("attr.", StringComparison.Ordinal)).Select(c => (c.h[5..], c.i)).ToArray();
        public int this[string name] => _index.GetValueOrDefault(name, -1);
    }

    private static (IncomingEvent?, List<InputProblem>) Read(CsvDataReader csv, Layout layout)
    {
        var problems = new List<InputProblem>();
        string? At(int i) => i >= 0 && i < csv.RowFieldCount && csv.GetString(i) is { Length: > 0 } v ? v.Trim() : null;
        string? Field(string name) => At(layout[name]);
        DateTimeOffset? occurred = null;
        if (Field("occurredAt") is { } text)
        {
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var at) && (text.Contains('Z') || text.Contains('+') || text.LastIndexOf('-') > 9)) occurred = at;
            else problems.Add(new("occurredAt", "invalid-date", "occurredAt is an ISO 8601 time with its offset, e.g. 2026-11-02T09:30:00+08:00."));
        }
        var consents = new List<Consent>();
        foreach (var (column, channel) in new[] { ("consentEmail", Channel.Email), ("consentSms", Channel.Sms), ("consentMiniProgram", Channel.MiniProgram) })
            if (Field(column) is { } value)
            {
                if (bool.TryParse(value, out var given)) consents.Add(new Consent(channel, given, occurred ?? DateTimeOffset.UnixEpoch, "csv-import"));
                else problems.Add(new(column, "invalid-boolean", $"{column} is true or false."));
            }
        var attributes = new Dictionary<string, string>();
        foreach (var (name, index) in layout.Attributes)
            if (At(index) is { } value) attributes[name] = value;
        var customer = new IncomingCustomer(Field("customerExternalId"), Field("customerName"), Field("email"), Field("mobile"), Field("wechatOpenId"),
            Field("preferredLanguage"), Field("timeZone"), consents);
        return (new IncomingEvent(Field("externalId"), Field("type"), occurred, Field("dealerCode"), customer, attributes), problems);
    }
}
