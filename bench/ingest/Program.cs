using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bench;
using IngestBench;
using Npgsql;
using SaveLoad;
using Survey.Api.Hosting;

// bench/ingest/run.sh: operational events through the real API (own process, Release) by CSV import and by batched webhook, next to
// PostgreSQL COPY of the same rows into a comparable table, on one private PostgreSQL cluster. Events/s, CPU per event (API and
// PostgreSQL), and for the CSV import the API's resident memory as the import goes (a big file must stream, not pile up).
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--") && x.a != "--api-env").ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
// --api-env NAME=VALUE (repeatable): extra environment for the API process, e.g. DOTNET_PerfMapEnabled=1 for perf
var apiEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--api-env" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
    .Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1]);
var rows = int.Parse(options.GetValueOrDefault("rows", "100000"), CultureInfo.InvariantCulture);
var webhookRows = int.Parse(options.GetValueOrDefault("webhook-rows", Math.Min(rows, 100_000).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var senders = int.Parse(options.GetValueOrDefault("senders", "4"), CultureInfo.InvariantCulture);
var apiDll = Path.GetFullPath(options["api-dll"]);
var output = options.GetValueOrDefault("out", "bench/ingest/.last-run.md");
var phases = options.ContainsKey("phases"); // the API prints CPU and wall time per ingestion phase (SURVEY_INGEST_PHASES=1)
// rows of the warm-up CSV import before the measured one (JIT tiering, pools); its CPU is not counted
var warmupRows = int.Parse(options.GetValueOrDefault("warmup-rows", "5000"), CultureInfo.InvariantCulture);
void Log(string s) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {s}");

var root = Path.Combine(Path.GetTempPath(), $"survey-ingest-bench-{Environment.ProcessId}");
Directory.CreateDirectory(root);
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // the cluster runs as the postgres user when this runs as root
var postgres = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
try
{
    postgres.EnsureDatabase("bench");
    var connectionString = postgres.ConnectionString("bench");
    var postmaster = int.Parse(File.ReadLines(Path.Combine(postgres.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    var csvRows = new Rows(rows, "CSV");
    var csvFile = Path.Combine(root, "events.csv");
    await csvRows.WriteCsv(csvFile);
    Log($"PostgreSQL on port {postgres.Port}; {rows:N0} CSV rows written ({new FileInfo(csvFile).Length / 1e6:N0} MB), {webhookRows:N0} webhook events, {senders} webhook senders");

    var apiLog = Path.Combine(root, "api.log");
    await using var api = await ApiProcess.Start(apiDll, connectionString, apiLog, phases ? new Dictionary<string, string>(apiEnvironment) { ["SURVEY_INGEST_PHASES"] = "1" } : apiEnvironment);
    Log($"API (pid {api.Pid})");
    using var admin = await BenchApi.Administrator(api.BaseAddress);
    var key = await BenchApi.NewApiKey(admin);
    using var ingest = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromHours(2) };
    ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
    await using var db = NpgsqlDataSource.Create(connectionString);
    async Task<long> Scalar(string sql) { await using var c = db.CreateCommand(sql); return Convert.ToInt64(await c.ExecuteScalarAsync() ?? 0L); }
    (double Api, double Pg) Cpu() => (BenchApi.CpuSeconds(api.Pid), BenchApi.PostgresCpuSeconds(postmaster));

    // warm-up (JIT, pools, the first data keys), not counted: like the save bench, until the API's tiered-compilation thread is
    // nearly idle, so the figures are a running server's and not a fresh process's (whose first 100,000 events spend a third
    // of the API's CPU compiling hot methods again). CSV imports of --warmup-rows rows (new rows each time), at least two, then
    // until the tiering thread used under 2% of a core during the last two, at most --warmup-max seconds; one webhook batch.
    var warmupMax = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("warmup-max", "120"), CultureInfo.InvariantCulture));
    var warmClock = Stopwatch.StartNew();
    var quietRounds = 0;
    for (var round = 1; ; round++)
    {
        var warm = new Rows(Math.Max(2000, 2 * warmupRows), $"WARM{round}-");
        var tiering = new TieringCpu(api.Pid);
        var roundClock = Stopwatch.StartNew();
        await ImportCsv(new StringContent(Rows.Header + "\n" + string.Join('\n', Enumerable.Range(1, warmupRows).Select(warm.CsvLine)) + "\n", Encoding.UTF8, "text/csv"), Guid.NewGuid(), null);
        var share = await tiering.Stop() / roundClock.Elapsed.TotalSeconds;
        Log($"warm-up import {round}: {warmupRows:N0} rows in {roundClock.Elapsed.TotalSeconds:F1} s, tiering thread {100 * share:F0}% of a core");
        // two quiet rounds in a row: a single sub-second round can miss the tiering thread's next burst
        quietRounds = share < 0.02 ? quietRounds + 1 : 0;
        if (round >= 2 && quietRounds >= 2 || warmClock.Elapsed > warmupMax) break;
    }
    await BenchApi.Expect(await ingest.PostAsync("/api/ingest/events", Json(new Rows(1000, "WARMWH").Batch(1, 1000))));
    Log($"warmed up in {warmClock.Elapsed.TotalSeconds:F0} s");
    if (!options.ContainsKey("no-analyze"))
    {
        // as in the save bench: the tables grew from empty during the warm-up, before autovacuum's first visit; plans cached on
        // them meanwhile were made for near-empty tables. A database autovacuum has visited has statistics (--no-analyze: without).
        await using (var c = db.CreateCommand("analyze")) await c.ExecuteNonQueryAsync();
        Log("ANALYZE after the warm-up");
    }

    // 1. COPY of the same file into a comparable table (typed columns, primary key on the external id)
    await using (var c = db.CreateCommand("""
        create table copy_events (external_id text primary key, type text not null, occurred_at timestamptz not null, dealer_code text,
          customer_external_id text not null, customer_name text, email text, mobile text, preferred_language text, time_zone text,
          consent_email boolean, consent_sms boolean, vehicle_model text, advisor text, amount numeric, mileage int)
        """)) await c.ExecuteNonQueryAsync();
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
    var copySeconds = clock.Elapsed.TotalSeconds;
    var copyCpu = Cpu();
    var copied = await Scalar("select count(*) from copy_events");
    Log($"COPY: {copied:N0} rows in {copySeconds:N1} s = {copied / copySeconds:N0} rows/s");

    // 2. CSV import through the API, streamed from the file; progress and the API's memory sampled while it runs
    var importId = Guid.NewGuid();
    var samples = new List<(long RowsRead, double RssMb)>();
    var rssBefore = BenchApi.RssMb(api.Pid);
    Log("CSV import: measuring");
    // --pg-log: every statement of the CSV import with its server-side duration in the cluster's log, summarised below
    var pgLog = options.ContainsKey("pg-log");
    if (pgLog) { await Scalar("alter system set log_min_duration_statement = 0"); await Scalar("select 1 from pg_reload_conf()"); }
    long pgLogFrom = pgLog ? new FileInfo(postgres.DataDirectory + ".log").Length : 0;
    var cpu1 = Cpu();
    var csvTiering = new TieringCpu(api.Pid);
    clock.Restart();
    JsonElement report;
    await using (var file = File.OpenRead(csvFile))
    {
        var content = new StreamContent(file, 1 << 16);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        report = await ImportCsv(content, importId, samples);
    }
    var csvSeconds = clock.Elapsed.TotalSeconds;
    var csvCpu = Cpu();
    var csvJit = await csvTiering.Stop();
    if (pgLog) { await Scalar("alter system reset log_min_duration_statement"); await Scalar("select 1 from pg_reload_conf()"); }
    var accepted = report.GetProperty("accepted").GetInt64();
    var bad = csvRows.BadRows.ToList();
    var listed = report.GetProperty("errors").EnumerateArray().Select(e => (Row: e.GetProperty("position").GetInt32(), Column: e.GetProperty("path").GetString())).ToList();
    var reportProblems = new List<string>();
    if (report.GetProperty("status").GetString() != "completed") reportProblems.Add($"status {report.GetProperty("status")}");
    if (report.GetProperty("rowsRead").GetInt64() != rows) reportProblems.Add($"rowsRead {report.GetProperty("rowsRead")} of {rows}");
    if (accepted != rows - bad.Count) reportProblems.Add($"accepted {accepted}, expected {rows - bad.Count}");
    if (report.GetProperty("rejected").GetInt64() != bad.Count) reportProblems.Add($"rejected {report.GetProperty("rejected")}, expected {bad.Count}");
    if (!listed.Select(l => l.Row).SequenceEqual(bad.Take(1000).Select(b => b + 1)) || listed.Any(l => l.Column != "email")) reportProblems.Add("listed errors are not the bad rows' e-mail column");
    var storedCsv = await Scalar("select count(*) from survey.mt_doc_operationaleventrecord where id like 'CSV-%'");
    if (storedCsv != accepted) reportProblems.Add($"{storedCsv} events stored, {accepted} accepted");
    var peakRss = samples.Count == 0 ? rssBefore : samples.Max(s => s.RssMb);
    Log($"CSV import: {accepted:N0} accepted in {csvSeconds:N1} s = {rows / csvSeconds:N0} rows/s; report {(reportProblems.Count == 0 ? "correct" : string.Join("; ", reportProblems))}; API RSS {rssBefore:N0} MB before, peak {peakRss:N0} MB");

    // 3. batched webhook: 1,000 events per request, a few senders at once
    var webhook = new Rows(webhookRows, "WH");
    var batches = new ConcurrentQueue<byte[]>();
    for (var from = 1; from <= webhookRows; from += 1000) batches.Enqueue(webhook.Batch(from, Math.Min(webhookRows, from + 999)));
    var batchCount = batches.Count;
    var latencies = new ConcurrentBag<double>();
    long whAccepted = 0, whRejected = 0;
    var cpu2 = Cpu();
    var whTiering = new TieringCpu(api.Pid);
    clock.Restart();
    await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
    {
        while (batches.TryDequeue(out var body))
        {
            var t = Stopwatch.StartNew();
            var result = await BenchApi.Expect(await ingest.PostAsync("/api/ingest/events", Json(body)));
            latencies.Add(t.Elapsed.TotalMilliseconds);
            Interlocked.Add(ref whAccepted, result.GetProperty("accepted").GetInt32());
            Interlocked.Add(ref whRejected, result.GetProperty("rejected").GetArrayLength());
        }
    })));
    var whSeconds = clock.Elapsed.TotalSeconds;
    var whCpu = Cpu();
    var whJit = await whTiering.Stop();
    var storedWh = await Scalar("select count(*) from survey.mt_doc_operationaleventrecord where id like 'WH-%'");
    var sortedLatency = latencies.Order().ToList();
    Log($"webhook: {whAccepted:N0} accepted ({whRejected} rejected) in {whSeconds:N1} s = {webhookRows / whSeconds:N0} events/s; p50 {BenchApi.Percentile(sortedLatency, 50):N0} ms, p95 {BenchApi.Percentile(sortedLatency, 95):N0} ms per batch");

    var copyRate = copied / copySeconds;
    var csvRate = rows / csvSeconds;
    var whRate = webhookRows / whSeconds;
    string PerEvent((double Api, double Pg) a, (double Api, double Pg) b, long n) => $"{(b.Api - a.Api) * 1000 / n:N3} / {(b.Pg - a.Pg) * 1000 / n:N3}";
    var checkpoints = new[] { 0.1, 0.25, 0.5, 0.75, 1.0 }
        .Select(f => samples.FirstOrDefault(s => s.RowsRead >= f * rows, samples.LastOrDefault()))
        .Select(s => $"{s.RowsRead:N0} rows: {s.RssMb:N0} MB").Distinct();
    var md = $"""
        {rows:N0} CSV rows ({new FileInfo(csvFile).Length / 1e6:N0} MB, {bad.Count} with a bad e-mail address), {webhookRows:N0} webhook events in batches of 1,000 from {senders} senders;
        ~{rows * 6 / 10:N0} distinct customers per path; no trigger is live (ingestion only).

        | path | events | seconds | events/s | ratio to COPY | CPU ms per event: API / PostgreSQL |
        | --- | ---: | ---: | ---: | ---: | ---: |
        | PostgreSQL `COPY` of the same CSV into a typed table with a primary key | {copied:N0} | {copySeconds:N1} | {copyRate:N0} | 1.00 | - / {(copyCpu.Pg - cpu0.Pg) * 1000 / copied:N3} |
        | CSV import `POST /api/ingest/events.csv` (streamed) | {rows:N0} | {csvSeconds:N1} | **{csvRate:N0}** | **{csvRate / copyRate:N2}** | {PerEvent(cpu1, csvCpu, rows)} |
        | webhook `POST /api/ingest/events`, 1,000 per batch, {senders} senders | {webhookRows:N0} | {whSeconds:N1} | **{whRate:N0}** | {whRate / copyRate:N2} | {PerEvent(cpu2, whCpu, webhookRows)} |

        Of the API's CPU, the tiered-compilation (JIT) thread's: CSV {csvJit * 1000 / rows:N3} ms per event ({csvJit / Math.Max(1e-9, csvCpu.Api - cpu1.Api):P0}), webhook {whJit * 1000 / webhookRows:N3} ms per event ({whJit / Math.Max(1e-9, whCpu.Api - cpu2.Api):P0}) (warm-up: CSV imports of {warmupRows:N0} rows until the tiering thread was nearly idle).
        Webhook batch latency: p50 {BenchApi.Percentile(sortedLatency, 50):N0} ms, p95 {BenchApi.Percentile(sortedLatency, 95):N0} ms ({batchCount} batches).
        CSV import report: {(reportProblems.Count == 0 ? $"correct (completed, {rows:N0} rows read, {accepted:N0} accepted, {bad.Count} rejected and listed with row number and column, {storedCsv:N0} stored)" : "**WRONG**: " + string.Join("; ", reportProblems))}.
        Webhook: {whAccepted:N0} accepted, {whRejected} rejected, {storedWh:N0} stored.
        API resident memory (VmRSS) during the CSV import: {rssBefore:N0} MB before, peak **{peakRss:N0} MB**; {string.Join(", ", checkpoints)}.

        Targets: CSV >= 0.2x COPY: **{(csvRate >= 0.2 * copyRate ? "met" : "missed")}** ({csvRate / copyRate:N2}x); webhook >= 5,000 events/s: **{(whRate >= 5000 ? "met" : "missed")}** ({whRate:N0}/s).
        """;
    if (phases)
    {
        await Task.Delay(500); // the API's stdout reaches its log asynchronously
        string[] lines;
        using (var log = new FileStream(apiLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(log)) lines = (await reader.ReadToEndAsync()).Split('\n').Where(l => l.StartsWith("ingest-phases", StringComparison.Ordinal)).ToArray();
        // the warm-up import and the measured one each print their totals at the end (then reset); the webhook prints as it goes
        var imports = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("ingest-phases csv-import", StringComparison.Ordinal)).ToList();
        var csvLine = imports.Count >= 2 ? imports[1].l : "(none)";
        var webhookLine = imports.Count >= 2 ? lines.Skip(imports[1].i + 1).LastOrDefault() ?? "(none)" : "(none)";
        md += $"\n\nPhases (API process; cpu: that thread's CPU time, for phases that ran on one thread; wall: elapsed, summed over the path, so concurrent senders overlap; nested: 'validate: phone' is part of 'validate', 'serialise' of the phase around it):\n- CSV: `{csvLine}`\n- webhook: `{webhookLine}`";
    }
    if (pgLog) md += "\n\n" + PgStatements(postgres.DataDirectory + ".log", pgLogFrom, rows);
    await File.WriteAllTextAsync(output, md);
    Console.WriteLine(md);
    if (reportProblems.Count > 0 || storedWh != whAccepted) Environment.ExitCode = 1;

    async Task<JsonElement> ImportCsv(HttpContent content, Guid id, List<(long, double)>? progress)
    {
        using var done = new CancellationTokenSource();
        var sampler = progress is null ? Task.CompletedTask : Task.Run(async () =>
        {
            using var poll = new HttpClient { BaseAddress = api.BaseAddress };
            poll.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
            while (!done.IsCancellationRequested)
            {
                long read = 0;
                try
                {
                    var state = await poll.GetAsync($"/api/ingest/imports/{id}", done.Token);
                    if (state.IsSuccessStatusCode) read = JsonDocument.Parse(await state.Content.ReadAsStringAsync(done.Token)).RootElement.GetProperty("rowsRead").GetInt64();
                }
                catch (OperationCanceledException) { break; }
                lock (progress) progress.Add((read, BenchApi.RssMb(api.Pid)));
                try { await Task.Delay(500, done.Token); } catch (OperationCanceledException) { break; }
            }
        });
        var response = await ingest.PostAsync($"/api/ingest/events.csv?importId={id}", content);
        done.Cancel();
        await sampler;
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode is not (200 or 422)) throw new InvalidOperationException($"CSV import answered {(int)response.StatusCode}: {body}");
        var job = JsonDocument.Parse(body).RootElement.Clone();
        progress?.Add((job.GetProperty("rowsRead").GetInt64(), BenchApi.RssMb(api.Pid)));
        return job;
    }
}
finally
{
    postgres.Stop();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null) try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

// the CSV import's statements by kind (first 90 characters), with executions and server-side time per event, from the cluster's log
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
    var table = new StringBuilder("PostgreSQL statements of the CSV import (`--pg-log`; server-side time from the statement log, lock waits included):\n\n| statement | executions | per 1,000 events | server ms per event |\n| --- | ---: | ---: | ---: |\n");
    foreach (var (key, c) in count.OrderByDescending(kv => ms[kv.Key]).Take(12))
        table.Append(CultureInfo.InvariantCulture, $"| `{key}` | {c:N0} | {c * 1000.0 / events:N1} | {ms[key] / events:N4} |\n");
    table.Append(CultureInfo.InvariantCulture, $"| **all** | {count.Values.Sum():N0} | {count.Values.Sum() * 1000.0 / events:N1} | **{ms.Values.Sum() / events:N4}** |");
    return table.ToString();
}

static ByteArrayContent Json(byte[] body)
{
    var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    return content;
}
