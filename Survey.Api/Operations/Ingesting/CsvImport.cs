using System.Globalization;
using Marten;
using Sylvan.Data.Csv;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.Ingesting;

/// <summary>
/// Streams a CSV of operational events in batches of 1,000 rows (at most two stored at once and one being read), never
/// holding the file in memory. Columns:
/// externalId, type, occurredAt, dealerCode, customerExternalId, customerName, email, mobile, wechatOpenId,
/// preferredLanguage, timeZone, consentEmail, consentSms, consentMiniProgram (true/false), and any <c>attr.NAME</c> column
/// as an event attribute. Bad rows are reported by row number (the header is row 1) and column; good rows are kept.
/// </summary>
public static class CsvImport
{
    public const int BatchSize = 1000;
    private const int InFlight = 2;
    private static readonly string[] Known = ["externalId", "type", "occurredAt", "dealerCode", "customerExternalId", "customerName", "email", "mobile",
        "wechatOpenId", "preferredLanguage", "timeZone", "consentEmail", "consentSms", "consentMiniProgram"];

    public static async Task<ImportJob> Run(Stream body, Guid importId, IDocumentStore store, Npgsql.NpgsqlDataSource database, string tenant, string defaultRegion, Firing firing,
        Privacy.PersonalDataVault vault, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var growing = new GrowingTables(database,
            [new BulkDocuments<OperationalEventRecord>(store).Table, new BulkDocuments<CustomerRecord>(store).Table, new BulkDocuments<Privacy.DataKey>(store).Table], logger);
        var job = new ImportJob(importId, ImportStatus.Running, 0, 0, 0, 0, [], time.GetUtcNow(), null, null);
        await Save(store, tenant, job, ct);
        using var reader = new StreamReader(body);
        var errors = new List<RejectedItem>();
        long rows = 0, accepted = 0, duplicates = 0, rejected = 0;
        var storing = new Queue<(Task<(int Accepted, int Duplicates)> Task, long Rows, long Rejected)>();
        Task? previousInserted = null;

        // waits for the oldest batch in flight, counts it and records the progress up to its last row
        async Task Stored(bool saveProgress = true)
        {
            if (!storing.TryDequeue(out var oldest)) return;
            var (a, d) = await oldest.Task;
            accepted += a; duplicates += d;
            await growing.Stored(a, ct);
            job = job with { RowsRead = oldest.Rows, Accepted = accepted, Duplicates = duplicates, Rejected = oldest.Rejected, Errors = errors.ToList() };
            if (saveProgress) await Save(store, tenant, job, ct);
        }

        // a batch starts once the previous one holds its customers and events (so the file's order decides merges and
        // duplicates) and fewer than InFlight are stored at once: one batch seals while the next one writes its events
        async Task Start(List<(OperationalEvent, Customer)> batch, long upToRow, long rejectedSoFar)
        {
            while (storing.Count >= InFlight) await Stored();
            if (previousInserted is not null) await previousInserted;
            var inserted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = EventIngestion.Store(store, tenant, batch, "csv", time.GetUtcNow(), firing, vault, ct, inserted);
            previousInserted = Task.WhenAny(inserted.Task, task);
            storing.Enqueue((task, upToRow, rejectedSoFar));
        }

        // every batch in flight is committed (or has failed) before the report is written; the first failure is rethrown
        async Task Drain(bool saveProgress)
        {
            Exception? failure = null;
            while (storing.Count > 0)
                try { await Stored(saveProgress && failure is null); }
                catch (Exception e) { failure ??= e; }
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        try
        {
            await using var csv = await CsvDataReader.CreateAsync(reader, new CsvDataReaderOptions { HasHeaders = true, MaxBufferSize = 1024 * 1024 }, ct);
            var header = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace)) throw new InvalidDataException("The file is empty; the first row names the columns.");
            var missing = new[] { "externalId", "type", "occurredAt", "customerExternalId" }.Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0) throw new InvalidDataException($"Missing column(s): {string.Join(", ", missing)}.");
            var unknown = header.Where(h => !Known.Contains(h) && !h.StartsWith("attr.", StringComparison.Ordinal)).ToList();
            if (unknown.Count > 0) throw new InvalidDataException($"Unknown column(s): {string.Join(", ", unknown)}; event attributes are named attr.NAME.");

            var layout = new Layout(header);
            var batch = new List<(OperationalEvent, Customer)>(BatchSize);
            while (await csv.ReadAsync(ct))
            {
                rows++;
                var row = csv.RowNumber + 1; // Sylvan counts data rows; in the file the header is row 1
                IncomingEvent? incoming;
                List<Survey.Domain.Common.InputProblem> parseProblems;
                using (IngestPhases.Measure("csv parse"))
                    (incoming, parseProblems) = Read(csv, layout);
                OperationalEvent? @event; Customer? customer; IReadOnlyList<Survey.Domain.Common.InputProblem> problems;
                using (IngestPhases.Measure("validate"))
                    (@event, customer, problems) = parseProblems.Count == 0 ? EventValidation.Check(incoming!, defaultRegion, time.GetUtcNow()) : (null, null, parseProblems);
                if (problems.Count > 0)
                {
                    rejected++;
                    foreach (var p in problems.Take(Math.Max(0, ImportJob.MaxListedErrors - errors.Count)))
                        errors.Add(new RejectedItem(row, ColumnOf(p.Path), p.Code, p.Message));
                }
                else batch.Add((@event!, customer!));

                if (batch.Count == BatchSize)
                {
                    await Start(batch, rows, rejected);
                    batch = new List<(OperationalEvent, Customer)>(BatchSize);
                }
            }
            if (batch.Count > 0) await Start(batch, rows, rejected);
            await Drain(saveProgress: false);
            job = job with { Status = ImportStatus.Completed, RowsRead = rows, Accepted = accepted, Duplicates = duplicates, Rejected = rejected, Errors = errors, FinishedAt = time.GetUtcNow() };
        }
        catch (Exception e) when (e is InvalidDataException or CsvFormatException or BadHttpRequestException or IOException)
        {
            await Drain(saveProgress: false); // the batches in flight are committed (or fail the request) before the report is written
            job = job with { Status = ImportStatus.Failed, Errors = errors, FinishedAt = time.GetUtcNow(), Failure = e is BadHttpRequestException ? "The upload was interrupted." : e.Message };
        }
        finally
        {
            // a failed store fails the request: the other batch in flight still ends (commits or rolls back) before it answers
            foreach (var (task, _, _) in storing)
                try { await task; } catch (Exception) { /* the first failure is the one reported */ }
        }
        await Save(store, tenant, job, CancellationToken.None);
        IngestPhases.Print("csv-import");
        IngestPhases.Reset();
        return job;
    }

    /// <summary>Where each column is, found once per file.</summary>
    private sealed class Layout(string[] header)
    {
        private readonly Dictionary<string, int> _index = header.Select((h, i) => (h, i)).DistinctBy(c => c.h).ToDictionary(c => c.h, c => c.i);
        public readonly (string Name, int Index)[] Attributes = header.Select((h, i) => (h, i)).Where(c => c.h.StartsWith("attr.", StringComparison.Ordinal)).Select(c => (c.h[5..], c.i)).ToArray();
        public int this[string name] => _index.GetValueOrDefault(name, -1);
    }

    private static (IncomingEvent?, List<Survey.Domain.Common.InputProblem>) Read(CsvDataReader csv, Layout layout)
    {
        var problems = new List<Survey.Domain.Common.InputProblem>();
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

    /// <summary>Validation paths ("customer.email") named as the CSV columns they came from ("email").</summary>
    private static string ColumnOf(string path) => path switch
    {
        "customer.externalId" => "customerExternalId",
        "customer.name" => "customerName",
        "customer.wechatOpenId" => "wechatOpenId",
        _ when path.StartsWith("customer.", StringComparison.Ordinal) => path[9..],
        _ when path.StartsWith("attributes.", StringComparison.Ordinal) => "attr." + path[11..],
        _ => path,
    };

    private static async Task Save(IDocumentStore store, string tenant, ImportJob job, CancellationToken ct)
    {
        await using var session = store.LightweightSession(tenant);
        session.Store(job);
        await session.SaveChangesAsync(ct);
    }
}
