using System.Diagnostics;
using System.Globalization;
using Bench;
using IngestBench;
using IngestFloor;
using JasperFx;
using Marten;
using Npgsql;
using Survey.Api.Hosting;
using Survey.Api.Operations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Privacy;
using Survey.Domain.Privacy;
using Weasel.Core;

// bench/experiments/ingest-floor/run.sh: how fast can ANY design do the CSV import's domain work on this machine? The same generated
// CSV as bench/ingest, imported in this process (no HTTP) by (a) the API-side work alone, (b) that work + binary COPY to staging +
// set-based inserts into lean typed tables, (c) the same into Marten's jsonb tables; next to PostgreSQL COPY of the file, after a
// JIT warm-up that lasts until tiered compilation is idle. Events/s, ratio to COPY, CPU per event (this process / PostgreSQL).
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "");
int Int(string name, int fallback) => options.TryGetValue(name, out var v) && v.Length > 0 ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var rows = Int("rows", 100_000);
var warmupRows = Int("warmup-rows", 5_000);
var maxWarmupPasses = Int("max-warmup-rounds", 15);
var inFlight = Int("in-flight", 2);
var pgLog = options.ContainsKey("pg-log"); // every statement's server-side time, from the cluster's log (costs time itself)
var repeats = Int("repeat", 1); // measured rounds of all variants, one after the other
var variants = options.GetValueOrDefault("variants") is { Length: > 0 } v ? v.Split(',') : ["a", "b", "c"];
var output = options.GetValueOrDefault("out") is { Length: > 0 } o ? o : "bench/experiments/ingest-floor/.last-run.md";
const string Tenant = "default";
void Log(string s) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {s}");

var root = Path.Combine(Path.GetTempPath(), $"survey-ingest-floor-{Environment.ProcessId}");
Directory.CreateDirectory(root);
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // the cluster runs as the postgres user when this runs as root
var postgres = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
try
{
    postgres.EnsureDatabase("floor");
    var connectionString = postgres.ConnectionString("floor");
    var postmaster = int.Parse(File.ReadLines(Path.Combine(postgres.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    var csvRows = new Rows(rows, "CSV");
    var csvFile = Path.Combine(root, "events.csv");
    await csvRows.WriteCsv(csvFile);
    Log($"PostgreSQL on port {postgres.Port}; {rows:N0} CSV rows written ({new FileInfo(csvFile).Length / 1e6:N0} MB)");

    // Marten's tables for these documents, made by Marten from the product's own configuration (StorageSetup, OperationsStore, PrivacySetup)
    await using var marten = DocumentStore.For(m =>
    {
        m.Connection(connectionString);
        m.DatabaseSchemaName = "survey";
        m.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        m.Policies.AllDocumentsAreMultiTenanted();
        m.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        OperationsStore.Configure(m);
        m.Schema.For<DataKey>().Index(k => k.Subject).Index(k => k.ItemAt!);
    });
    await marten.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    await using var db = NpgsqlDataSource.Create(connectionString);
    async Task Sql(string sql) { await using var c = db.CreateCommand(sql); await c.ExecuteNonQueryAsync(); }
    async Task<string> Text(string sql) { await using var c = db.CreateCommand(sql); return Convert.ToString(await c.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? ""; }
    await Sql(LeanStore.Ddl);
    // --lean-pk-only: the lean tables keep their primary keys only, to see what the secondary indexes cost (not a design the product can use)
    var leanPkOnly = options.ContainsKey("lean-pk-only");
    if (leanPkOnly) await Sql("drop index lean_events_customer, lean_events_occurred, lean_customers_email, lean_customers_mobile, lean_customers_wechat, lean_data_keys_subject, lean_data_keys_item_at");
    await Sql("""
        create table copy_events (external_id text primary key, type text not null, occurred_at timestamptz not null, dealer_code text,
          customer_external_id text not null, customer_name text, email text, mobile text, preferred_language text, time_zone text,
          consent_email boolean, consent_sms boolean, vehicle_model text, advisor text, amount numeric, mileage int)
        """);
    var pid = Environment.ProcessId;
    (double Own, double Pg) Cpu() => (BenchApi.CpuSeconds(pid), BenchApi.PostgresCpuSeconds(postmaster));

    var vault = new PersonalDataVault(new DataKeys(MasterKey.Load(new PrivacyOptions { MasterKey = Convert.ToBase64String(Envelope.NewKey()) }), TimeProvider.System));
    var phases = new Phases();

    // what every measured import must have stored: the valid rows' customers, each with one key and its last row's values
    var expected = new Dictionary<string, Rows.Row>();
    var bad = csvRows.BadRows.ToHashSet();
    for (var i = 1; i <= rows; i++)
        if (!bad.Contains(i)) { var r = csvRows.At(i); expected[r.Customer] = r; }
    var sample = expected.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % Math.Max(1, expected.Count / 200) == 0).ToList();

    var results = new List<string>();
    var copyRuns = new List<(double Seconds, double PgCpu)>();
    async Task Copy()
    {
        await Sql("truncate copy_events");
        await Sql("checkpoint");
        var cpu0 = Cpu();
        var clock = Stopwatch.StartNew();
        await using (var connection = await db.OpenConnectionAsync())
        await using (var writer = await connection.BeginTextImportAsync("copy copy_events from stdin (format csv, header true)"))
        using (var reader = new StreamReader(csvFile))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await reader.ReadAsync(buffer)) > 0) await writer.WriteAsync(buffer.AsMemory(0, read));
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu1 = Cpu();
        copyRuns.Add((seconds, cpu1.Pg - cpu0.Pg));
        Log($"COPY: {rows:N0} rows in {seconds:N2} s = {rows / seconds:N0} rows/s, PostgreSQL CPU {(cpu1.Pg - cpu0.Pg) * 1000 / rows:N4} ms/row, own {(cpu1.Own - cpu0.Own) * 1000 / rows:N4} ms/row");
    }

    await Copy();
    var stores = new List<(string Variant, IBatchStore Store, SqlStore? Sql)>();
    foreach (var variant in variants)
    {
        var sqlStore = variant switch { "b" => new LeanStore(db), "c" => (SqlStore)new MartenStore(db, marten), "d" => new LeanStore(db, direct: true), _ => null };
        if (sqlStore is not null) await sqlStore.Open(inFlight + 1);
        stores.Add((variant, sqlStore ?? (IBatchStore)new MemoryStore(), sqlStore));
    }

    // warm-up rounds (one pass of fresh rows per variant each) until the tiered-compilation thread is idle: under 3% of the round's
    // CPU in two rounds in a row (tiering starts only after a quiet spell without new methods, so one idle round is not enough).
    // All variants share most code, so they warm up together, before any of them is measured.
    var rounds = 0;
    for (int round = 1, idle = 0; round <= maxWarmupPasses && idle < 2; round++)
    {
        rounds = round;
        var tiering = new TieringCpu(pid);
        var before = Cpu();
        foreach (var (variant, store, _) in stores)
        {
            var warm = new Rows(warmupRows, $"W{variant}{round}");
            var text = Rows.Header + "\n" + string.Join('\n', Enumerable.Range(1, warmupRows).Select(warm.CsvLine)) + "\n";
            await new Pipeline(store, vault, marten, Tenant, new Phases(), inFlight: inFlight).Run(new StringReader(text));
        }
        var jit = await tiering.Stop();
        var own = Cpu().Own - before.Own;
        Log($"warm-up round {round}: own CPU {own * 1000:N0} ms, of which the JIT thread {jit * 1000:N0} ms");
        idle = jit < 0.03 * own ? idle + 1 : 0; // the thread CPU comes in 10 ms ticks
    }

    var measured = new List<(string Name, double Seconds, double Own, double Pg, double Backends, double Jit, double Gc, Phases Phases, string Check)>();
    var statementTables = new List<string>();
    for (var repeat = 1; repeat <= repeats; repeat++)
    foreach (var (variant, store, sqlStore) in stores)
    {
        await store.Clear();
        await Sql("checkpoint");

        phases.Reset();
        if (sqlStore is not null) sqlStore.Phases = phases;
        var gcPause = GC.GetTotalPauseDuration();
        var tieringRun = new TieringCpu(pid);
        var backends = sqlStore?.BackendPids ?? [];
        double BackendCpu() => backends.Sum(BenchApi.CpuSeconds);
        var backendStart = BackendCpu();
        if (pgLog) { await Sql("alter system set log_min_duration_statement = 0"); await Sql("select pg_reload_conf()"); }
        long pgLogFrom = pgLog ? new FileInfo(postgres.DataDirectory + ".log").Length : 0;
        var cpuStart = Cpu();
        var clockRun = Stopwatch.StartNew();
        var pipeline = new Pipeline(store, vault, marten, Tenant, phases, inFlight: inFlight);
        ImportCounts counts;
        using (var reader = new StreamReader(csvFile)) counts = await pipeline.Run(reader);
        var seconds = clockRun.Elapsed.TotalSeconds;
        var cpuEnd = Cpu();
        var backendCpu = BackendCpu() - backendStart;
        if (pgLog)
        {
            await Sql("alter system reset log_min_duration_statement"); await Sql("select pg_reload_conf()");
            statementTables.Add($"{store.Name[..3]}, run {repeat}: " + PgStatements(postgres.DataDirectory + ".log", pgLogFrom, rows));
        }
        var jitRun = await tieringRun.Stop();
        var gc = (GC.GetTotalPauseDuration() - gcPause).TotalSeconds;

        // correctness: every valid row stored once, every customer once with one key, merged values readable with its key
        var problems = new List<string>();
        if (counts.Accepted != rows - bad.Count || counts.Rejected != bad.Count) problems.Add($"accepted {counts.Accepted}, rejected {counts.Rejected}");
        var (events, customers, keys) = await store.Counts(Tenant);
        if (events != counts.Accepted) problems.Add($"{events} events stored");
        if (customers != expected.Count) problems.Add($"{customers} customers stored, {expected.Count} expected");
        if (keys != expected.Count || pipeline.NewKeys != expected.Count) problems.Add($"{keys} keys stored, {pipeline.NewKeys} created, {expected.Count} customers");
        var stored = await store.Read(Tenant, sample);
        var indexKey = vault.Keys.IndexKey(Tenant);
        foreach (var id in sample)
        {
            if (!stored.TryGetValue(id, out var s) || s.Record is null || s.WrappedKey is null) { problems.Add($"{id} missing"); continue; }
            var ring = vault.Keys.Open(Tenant, [(KeyIds.Customer(id), s.WrappedKey)]);
            var open = PersonalDataVault.Open(ring, s.Record.Customer);
            var row = expected[id];
            var mobile = EventValidation.ToE164(row.Mobile, "CN");
            if (open.Name != row.Name || open.Email != row.Email || open.Mobile != mobile || open.Consents.Count != 2
                || s.Record.EmailIndex != BlindIndex.Email(indexKey, row.Email) || s.Record.MobileIndex != BlindIndex.Phone(indexKey, mobile!))
                problems.Add($"{id} reads back wrong");
        }
        if (options.ContainsKey("explain") && sqlStore is not null)
            Log($"{variant}: plan of the customers' read for 1,000 customers:\n" + await sqlStore.ExplainLoad(Tenant, expected.Keys.Take(1000).ToArray()));
        var check = problems.Count == 0
            ? $"correct ({counts.Accepted:N0} of {rows:N0} rows stored, {counts.Rejected} rejected; {customers:N0} customers with one key each; {sample.Count} sampled customers open to their rows' values)"
            : "**WRONG**: " + string.Join("; ", problems.Take(5));
        Log($"{variant}: {rows:N0} rows in {seconds:N2} s = {rows / seconds:N0} events/s; CPU ms/event own {(cpuEnd.Own - cpuStart.Own) * 1000 / rows:N4}, PostgreSQL {(cpuEnd.Pg - cpuStart.Pg) * 1000 / rows:N4}; JIT {jitRun * 1000:N0} ms; {check}");
        measured.Add((store.Name, seconds, cpuEnd.Own - cpuStart.Own, cpuEnd.Pg - cpuStart.Pg, backendCpu, jitRun, gc, phases, check));
        phases = new Phases();
        if (problems.Count > 0) Environment.ExitCode = 1;
    }
    await Copy();
    foreach (var (_, _, sqlStore) in stores)
        if (sqlStore is not null) await sqlStore.DisposeAsync();

    var copyRate = copyRuns.Average(c => rows / c.Seconds);
    string Ms(double seconds) => (seconds * 1000 / rows).ToString("N4", CultureInfo.InvariantCulture);
    var table = new System.Text.StringBuilder();
    if (leanPkOnly) table.AppendLine("**`--lean-pk-only`: the lean tables (b, d) have their primary keys only, no secondary index.**").AppendLine();
    table.AppendLine($"{rows:N0} CSV rows ({new FileInfo(csvFile).Length / 1e6:N0} MB, {bad.Count} with a bad e-mail address), ~{expected.Count:N0} distinct customers; batches of 1,000 rows, {inFlight} in flight, one transaction each; tenant `{Tenant}`.");
    table.AppendLine();
    table.AppendLine("| path | seconds | events/s | ratio to COPY | CPU ms/event: own process / PostgreSQL (batch backends + background) / sum | of own: parse / validate / merge+unwrap+seal / COPY rows / rest | JIT thread ms/event | GC pause ms/event | ceiling: cores / CPU per event (ratio) |");
    table.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (seconds, pg) in copyRuns)
        table.AppendLine($"| PostgreSQL text `COPY` of the CSV into a typed table with a primary key | {seconds:N2} | {rows / seconds:N0} | {rows / seconds / copyRate:N2} | - / {Ms(pg)} / {Ms(pg)} | | | | |");
    foreach (var m in measured)
    {
        var p = m.Phases;
        var rest = m.Own - (p.ParseMs + p.ValidateMs + p.SealMs + p.CopyMs) / 1000;
        table.AppendLine($"| {m.Name} | {m.Seconds:N2} | **{rows / m.Seconds:N0}** | **{rows / m.Seconds / copyRate:N3}** | {Ms(m.Own)} / {Ms(m.Pg)} ({Ms(m.Backends)} + {Ms(m.Pg - m.Backends)}) / **{Ms(m.Own + m.Pg)}** | {Ms(p.ParseMs / 1000)} / {Ms(p.ValidateMs / 1000)} / {Ms(p.SealMs / 1000)} / {Ms(p.CopyMs / 1000)} / {Ms(rest)} | {Ms(m.Jit)} | {Ms(m.Gc)} | {Environment.ProcessorCount * rows / (m.Own + m.Pg):N0} ({Environment.ProcessorCount * rows / (m.Own + m.Pg) / copyRate:N2}) |");
    }
    table.AppendLine();
    table.AppendLine($"Ratios are to the mean of the two COPY runs ({copyRate:N0} rows/s), one before the variants and one after. Warm-up passes of {warmupRows:N0} fresh rows per variant and round, until the JIT thread was idle (under 3% of a round's CPU twice in a row): {rounds} rounds.");
    table.AppendLine("The ceiling is what the CPU per event allows if both cores did nothing else and never waited (own process and PostgreSQL together); events/s is what this run reached on the shared machine.");
    foreach (var m in measured) table.AppendLine($"- {m.Name[..3]}: {m.Check}.");
    table.AppendLine($"- PostgreSQL {await Text("select version()")}; `synchronous_commit` {await Text("show synchronous_commit")}, `shared_buffers` {await Text("show shared_buffers")}.");
    foreach (var statements in statementTables) table.AppendLine().AppendLine(statements);
    await File.WriteAllTextAsync(output, table.ToString());
    Console.WriteLine(table);
}
finally
{
    postgres.Stop();
    try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

// the measured import's statements by kind (first 90 characters), with executions and server-side time per event, from the cluster's log
static string PgStatements(string log, long from, long events)
{
    var count = new Dictionary<string, int>();
    var ms = new Dictionary<string, double>();
    using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    file.Seek(from, SeekOrigin.Begin);
    using var reader = new StreamReader(file);
    var pattern = new System.Text.RegularExpressions.Regex(@"duration: ([\d.]+) ms\s+(execute|statement)[^:]*:\s*(.*)");
    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
    {
        var m = pattern.Match(line);
        if (!m.Success || line.Contains("alter system") || line.Contains("pg_reload_conf") || line.Contains("copy_events")) continue;
        var text = System.Text.RegularExpressions.Regex.Replace(m.Groups[3].Value, @"\s+", " ");
        var key = text[..Math.Min(90, text.Length)].Replace("|", "\\|");
        count[key] = count.GetValueOrDefault(key) + 1;
        ms[key] = ms.GetValueOrDefault(key) + double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
    var table = new System.Text.StringBuilder("PostgreSQL statements (`--pg-log`; server-side time from the statement log, lock waits included):\n\n| statement | executions | per 1,000 events | server ms per event |\n| --- | ---: | ---: | ---: |\n");
    foreach (var (key, c) in count.OrderByDescending(kv => ms[kv.Key]).Take(12))
        table.Append(CultureInfo.InvariantCulture, $"| `{key}` | {c:N0} | {c * 1000.0 / events:N1} | {ms[key] / events:N4} |\n");
    table.Append(CultureInfo.InvariantCulture, $"| **all** | {count.Values.Sum():N0} | {count.Values.Sum() * 1000.0 / events:N1} | **{ms.Values.Sum() / events:N4}** |");
    return table.ToString();
}
