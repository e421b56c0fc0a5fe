using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Npgsql;
using SaveLoad;
using Survey.Api.Hosting;

// Answer saves through the public endpoint of the real API (own process) versus pgbench inserting rows of the same size,
// both against one private PostgreSQL cluster, at each client count. See bench/run.sh and README "Benchmarks".
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var o = Options.Parse(args);
var root = Path.Combine(Path.GetTempPath(), $"survey-bench-{Environment.ProcessId}");
Directory.CreateDirectory(root);
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_111_111); // pgbench runs as postgres and writes its logs here
var pgLog = Path.Combine(root, "pg.log");
Log($"scratch folder {root}");

var cluster = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
if (o.PgStatements)
{
    // pg_stat_statements (with planning time) needs a restart to load; the windows below then print what PostgreSQL spent its time on
    await Sql(cluster.ConnectionString("postgres"), "alter system set shared_preload_libraries = 'pg_stat_statements'");
    cluster.Stop();
    cluster = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
    await Sql(cluster.ConnectionString("postgres"), "alter system set pg_stat_statements.track_planning = on; select pg_reload_conf()");
}
if (o.PgSettings.Count > 0)
{
    // server settings for an A/B (e.g. --pg-set wal_compression=lz4); a restart so that settings which need one apply too
    foreach (var (name, value) in o.PgSettings) await Sql(cluster.ConnectionString("postgres"), $"alter system set {name} = '{value}'");
    cluster.Stop();
    cluster = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
}
if (o.AutoExplainMs is { } slowMs)
{
    // the plans of statements slower than this land in pg.log (BENCH_KEEP=1 keeps the scratch folder); every new session loads it
    await using var admin = new NpgsqlConnection(cluster.ConnectionString("postgres"));
    await admin.OpenAsync();
    foreach (var sql in new[] { "load 'auto_explain'", "alter system set session_preload_libraries = 'auto_explain'",
                 $"alter system set auto_explain.log_min_duration = {slowMs}", "select pg_reload_conf()" })
        await new NpgsqlCommand(sql, admin).ExecuteNonQueryAsync();
}
var report = new StringBuilder();
try
{
    cluster.EnsureDatabase("survey");
    cluster.EnsureDatabase("pgbench");
    if (o.PgStatements) await Sql(cluster.ConnectionString("survey"), "create extension if not exists pg_stat_statements");
    var connectionString = cluster.ConnectionString("survey") + (o.ConnectionExtra.Length > 0 ? ";" + o.ConnectionExtra : "");
    await using (var pgb = new NpgsqlConnection(cluster.ConnectionString("pgbench")))
    {
        await pgb.OpenAsync();
        await new NpgsqlCommand(PgBench.CreateTableSql, pgb).ExecuteNonQueryAsync();
    }
    var settings = await Settings(cluster.ConnectionString("postgres"), o.PgSettings.Keys);
    Log($"PostgreSQL on 127.0.0.1:{cluster.Port}: {settings}");
    var postmaster = int.Parse(File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    var pgbench = PgBench.FindBinary(EmbeddedPostgres.FindBinaries());

    var api = await ApiProcess.Start(o.ApiDll, connectionString, Path.Combine(root, "api.log"), new Dictionary<string, string>(o.ApiEnvironment));
    Log($"API (pid {api.Pid}) healthy on {api.BaseAddress}");
    using var http = SaveRun.NewClient(api.BaseAddress, o.Clients.Max());
    var link = await Respondent.PublishWithLink(http);
    var run = new SaveRun(http, link, o.SavesPerResponse, o.RawHttp ? new RawHttp(api.BaseAddress) : null);
    var script = PgBench.WriteScript(root, run.SampleBody);
    var pgRowBytes = new FileInfo(script).Length - ($"insert into {PgBench.Table} (response_id, data) values (gen_random_uuid(), ''::jsonb);\n").Length;
    Log($"questionnaire published, link {link}; save bodies {run.MeanBodyBytes:F0} bytes on average, pgbench row JSON {pgRowBytes} bytes");

    var cpu = new Cpu(api.Pid, postmaster);
    var runQueue = new RunQueue(api.Pid, postmaster);
    // The API with nothing to do (Hangfire's and the projection daemon's polling, timers), before any save exists: the quietest
    // of five seconds (start-up work such as re-JITting can still run in the first ones).
    var baselineApiMsPerSecond = double.MaxValue;
    for (var i = 0; i < 5; i++)
    {
        var second = cpu.Take();
        await Task.Delay(TimeSpan.FromSeconds(1));
        baselineApiMsPerSecond = Math.Min(baselineApiMsPerSecond, 1000 * Cpu.Delta(second, cpu.Take()).Api);
    }
    Log($"API at rest: {baselineApiMsPerSecond:F0} ms CPU per second");
    var rows = new List<(SaveRun.Result Api, Cpu.Sample ApiCpu, (double Tiering, double Gc, double Other) ApiThreads, double CatchUpApi, PgBench.Result Pg, Cpu.Sample PgCpu, double StartsPerSecond, DatabaseCounters Database, DatabaseCounters PgBenchWal, IReadOnlyDictionary<string, RunQueue.Group> Queued)>();
    if (o.JitWarmupSeconds > 0)
    {
        // A fresh process spends its first tens of seconds compiling hot methods again at tier 1 (on a background thread that
        // competes for the same 2 cores). Starts and saves for a while first, so the windows below measure the steady state.
        // On a slow or shared machine that takes longer (the tiering thread gets less of a core, and with PGO each hot method
        // first runs instrumented, which is slow): after the minimum, go on in 5 s slices until the tiering thread is nearly idle.
        Log($"== JIT warm-up: at least {o.JitWarmupSeconds} s of starts and saves at {o.Clients.Max()} clients, then until tier-up is done (at most {o.JitWarmupMaxSeconds} s)");
        var jitStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var threadsBefore = cpu.TakeApiThreads();
        var jit = await run.Run(new ConcurrentQueue<Guid>(), o.Clients.Max(), TimeSpan.FromSeconds(o.JitWarmupSeconds));
        Fail(jit);
        var saves = jit.Ok;
        var threads = cpu.TakeApiThreads();
        double lastTiering;
        do
        {
            var slice = threads;
            var more = await run.Run(new ConcurrentQueue<Guid>(), o.Clients.Max(), TimeSpan.FromSeconds(5));
            Fail(more);
            saves += more.Ok;
            threads = cpu.TakeApiThreads();
            lastTiering = threads.Since(slice).Tiering / 5;
        } while (lastTiering > 0.02 && System.Diagnostics.Stopwatch.GetElapsedTime(jitStarted).TotalSeconds + 5 <= o.JitWarmupMaxSeconds);
        var spent = threads.Since(threadsBefore);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(jitStarted).TotalSeconds;
        Log($"JIT warm-up: {elapsed:F0} s, {saves / elapsed:F0} saves/s with a start every {o.SavesPerResponse} saves; API CPU {spent.Tiering:F1} s tiering, " +
            $"{spent.Gc:F1} s GC, {spent.Other:F1} s other threads; tiering thread in the last 5 s: {100 * lastTiering:F0}% of a core");
    }
    if (o.Analyze)
    {
        // The tables grew from empty during the warm-up, faster than autovacuum's first visit (autovacuum_naptime = 1 min).
        // Plans cached while they were nearly empty (the save pool's generic plans, Marten's auto-prepared statements) look a
        // tenant's rows up by tenant alone, reading all of them; an ANALYZE invalidates them and they are planned again with
        // statistics, as in any database autovacuum has visited. --no-analyze measures that transient instead.
        var analyzeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        await Sql(connectionString, "analyze");
        Log($"ANALYZE after the warm-up: {System.Diagnostics.Stopwatch.GetElapsedTime(analyzeStarted).TotalSeconds:F1} s");
    }
    // After the load stops the API can go on working for a while: the projection daemon catches up on the events it did not
    // get to under load. That work belongs to the saves that caused it, so before each window the API is let settle, and after
    // it the CPU until it settles again is counted too ("incl. catch-up").
    var (settleSeconds, _) = await Settle(cpu, baselineApiMsPerSecond, 90);
    Log($"API settled {settleSeconds:F0} s after the warm-up");
    foreach (var clients in o.Clients)
    {
        Log($"== {clients} clients: warm-up {o.WarmupSeconds} s");
        var warm = await run.Run(await run.StartResponses(clients * 20, clients), clients, TimeSpan.FromSeconds(o.WarmupSeconds));
        Fail(warm);
        var needed = (int)Math.Ceiling(warm.PerSecond * (o.DurationSeconds + 2) * 2.0 / o.SavesPerResponse) + clients;
        var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        var pool = await run.StartResponses(needed, clients);
        var startsPerSecond = needed / System.Diagnostics.Stopwatch.GetElapsedTime(startedAt).TotalSeconds;
        // the starts' own work may not end with their 2xx (the projection daemon projects each new response a little later):
        // settle first, as before the first window, so that the window holds only the saves and what they cause. (Checked
        // 2026-12-01: the API was at rest within a second after the starts, so this was not why 5 saves per response cost more
        // per save than 20; see bench/experiments/README.md.)
        var (poolSettleSeconds, _) = await Settle(cpu, baselineApiMsPerSecond, 120);
        Log($"warm-up {warm.PerSecond:F0} saves/s; started {needed} responses ({startsPerSecond:F0}/s), API settled {poolSettleSeconds:F0} s after; measuring {o.DurationSeconds} s");

        if (o.PgStatements) await Sql(connectionString, "select pg_stat_statements_reset()");
        var threadsAtStart = cpu.TakeApiThreads();
        var countersAtStart = await DatabaseCounters.Take(connectionString);
        var queuedAtStart = runQueue.Take();
        var before = cpu.Take();
        var measured = await run.Run(pool, clients, TimeSpan.FromSeconds(o.DurationSeconds));
        var apiCpu = Cpu.Delta(before, cpu.Take());
        var queued = runQueue.Take().Since(queuedAtStart);
        var apiThreads = cpu.TakeApiThreads().Since(threadsAtStart);
        var database = (await DatabaseCounters.Take(connectionString)).Since(countersAtStart);
        Fail(measured);
        if (o.PgStatements) report.Append(await PgStatements(connectionString, clients, measured.Ok));
        var (catchUpSeconds, catchUpApi) = await Settle(cpu, baselineApiMsPerSecond, 120);
        Log($"API settled {catchUpSeconds:F0} s after the window, {1000 * catchUpApi:F0} ms of CPU above rest meanwhile");
        Log($"WAL of the window: {database.WalLsn} ({database.WalBytes / 1024:N0} kB; with BENCH_KEEP=1: pg_waldump --stats=record -p <scratch>/pg/pg_wal -s START -e END, after --pg-set wal_keep_size=4096)");
        Log($"API: {measured.PerSecond:F0} saves/s, p50 {P(measured.LatenciesMs, 0.50):F2} ms, p99 {P(measured.LatenciesMs, 0.99):F2} ms, inline starts {measured.InlineStarts}");

        Log($"pgbench -c {clients} -j {o.PgBenchThreads}: warm-up {Math.Min(o.WarmupSeconds, 3)} s, then -T {o.DurationSeconds}");
        await PgBench.Run(pgbench, cluster.Port, "pgbench", script, clients, o.PgBenchThreads, Math.Min(o.WarmupSeconds, 3), root, log: false);
        var pgCountersAtStart = await DatabaseCounters.Take(connectionString);
        before = cpu.Take();
        var pg = await PgBench.Run(pgbench, cluster.Port, "pgbench", script, clients, o.PgBenchThreads, o.DurationSeconds, root, log: true);
        var pgCpu = Cpu.Delta(before, cpu.Take());
        var pgWal = (await DatabaseCounters.Take(connectionString)).Since(pgCountersAtStart);
        Log($"pgbench: {pg.Tps:F0} TPS, p50 {P(pg.LatenciesMs, 0.50):F2} ms, p99 {P(pg.LatenciesMs, 0.99):F2} ms, failed {pg.Failed}");
        rows.Add((measured, apiCpu, apiThreads, catchUpApi, pg, pgCpu, startsPerSecond, database, pgWal, queued));
    }

    // Durable, no loss, no duplicates: one ResponseAnswersSaved event per 2xx save, each (response, sequence) once.
    var (events, distinct) = await CountSaveEvents(connectionString);
    var durable = events == run.OkTotal && distinct == events;
    Log($"verification: {run.OkTotal} saves answered 2xx, {events} response_answers_saved events, {distinct} distinct (response, sequence), {run.UnknownTotal} unknown outcomes -> {(durable ? "OK" : "MISMATCH")}");

    report.AppendLine("| clients | API saves/s | API p50 ms | API p99 ms | pgbench TPS | pgbench p50 ms | pgbench p99 ms | ratio (API/pgbench) | p99 ratio (API/pgbench) |");
    report.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var r in rows)
    {
        var (a50, a99, g50, g99) = (P(r.Api.LatenciesMs, 0.5), P(r.Api.LatenciesMs, 0.99), P(r.Pg.LatenciesMs, 0.5), P(r.Pg.LatenciesMs, 0.99));
        report.AppendLine($"| {r.Api.Clients} | {r.Api.PerSecond:F0} | {a50:F2} | {a99:F2} | {r.Pg.Tps:F0} | {g50:F2} | {g99:F2} | {r.Api.PerSecond / r.Pg.Tps:F2} | {a99 / g99:F1} |");
    }
    report.AppendLine();
    report.AppendLine("Targets: ratio >= 0.5 and API p99 <= 3x pgbench p99.");
    foreach (var r in rows)
    {
        var ratio = r.Api.PerSecond / r.Pg.Tps;
        var p99 = P(r.Api.LatenciesMs, 0.99) / P(r.Pg.LatenciesMs, 0.99);
        report.AppendLine($"- {r.Api.Clients} clients: throughput ratio {ratio:F2} ({(ratio >= 0.5 ? "met" : "NOT met")}), p99 ratio {p99:F1} ({(p99 <= 3 ? "met" : "NOT met")}).");
    }
    report.AppendLine();
    report.AppendLine("Where the CPU went during each measured window (2 cores = 2,000 ms of CPU per second):");
    report.AppendLine();
    report.AppendLine("| clients | workload | ops/s | machine busy | of it other processes | API ms CPU/op | API incl. catch-up | PostgreSQL ms CPU/op | load generator ms CPU/op |");
    report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var r in rows)
    {
        var n = (double)r.Api.Ok;
        report.AppendLine($"| {r.Api.Clients} | API save | {r.Api.PerSecond:F0} | {100 * r.ApiCpu.MachineBusy / r.ApiCpu.MachineTotal:F0}% | {Others(r.ApiCpu)} | {1000 * r.ApiCpu.Api / n:F2} | {1000 * (r.ApiCpu.Api + r.CatchUpApi) / n:F2} | {1000 * r.ApiCpu.Postgres / n:F2} | {1000 * r.ApiCpu.Self / n:F2} |");
        var m = (double)r.Pg.Transactions;
        report.AppendLine($"| {r.Pg.Clients} | pgbench insert | {r.Pg.Tps:F0} | {100 * r.PgCpu.MachineBusy / r.PgCpu.MachineTotal:F0}% | {Others(r.PgCpu)} | - | - | {1000 * r.PgCpu.Postgres / m:F2} | {1000 * r.PgCpu.Children / m:F2} |");
    }
    report.AppendLine();
    report.AppendLine("The API's CPU per save by thread in the same windows: " + string.Join("; ", rows.Select(r =>
        $"{r.Api.Clients} clients: {1000 * r.ApiThreads.Other / r.Api.Ok:F2} ms request and background threads, {1000 * r.ApiThreads.Gc / r.Api.Ok:F2} ms GC threads, " +
        $"{1000 * r.ApiThreads.Tiering / r.Api.Ok:F2} ms tiered compilation (should be ~0 once warm)")) +
        $". At rest (before the first save) the API used {baselineApiMsPerSecond:F0} ms of CPU per second; \"incl. catch-up\" adds the API's CPU above that " +
        "from the end of the window until it was at rest again (the projection daemon catching up).");
    report.AppendLine();
    report.AppendLine("PostgreSQL's own counters over the same windows (per 2xx save; all of the survey database's transactions, the projection daemon's " +
                      "and Hangfire's included; WAL flushes cluster-wide): " + string.Join("; ", rows.Select(r =>
        $"{r.Api.Clients} clients: {r.Database.Commits / (double)r.Api.Ok:F2} commits, {r.Database.WalSyncs / (double)r.Api.Ok:F2} WAL flushes, " +
        $"{r.Database.WalBytes / (double)r.Api.Ok:F0} bytes of WAL, {r.Database.RowsWritten / (double)r.Api.Ok:F1} rows inserted or updated, " +
        $"{r.Database.Autovacuums} autovacuum/autoanalyze runs finished in the window (their CPU counts as PostgreSQL's)" +
        (r.Database.WalSyncs > 0 && r.Database.WalSyncMs > 0 ? $", {r.Database.WalSyncMs / r.Database.WalSyncs:F2} ms per WAL flush" : ""))) + ". " +
        "pgbench's windows, the same cluster-wide WAL counters per insert: " + string.Join("; ", rows.Select(r =>
        $"{r.Pg.Clients} clients: {r.PgBenchWal.WalSyncs / (double)Math.Max(1, r.Pg.Transactions):F2} WAL flushes, {r.PgBenchWal.WalBytes / (double)Math.Max(1, r.Pg.Transactions):F0} bytes of WAL" +
        (r.PgBenchWal.WalSyncs > 0 && r.PgBenchWal.WalSyncMs > 0 ? $", {r.PgBenchWal.WalSyncMs / r.PgBenchWal.WalSyncs:F2} ms per WAL flush" : ""))) +
        " (flush times only with `--pg-set track_wal_io_timing=on`).");
    report.AppendLine();
    report.AppendLine("Waiting for a core in the save windows (threads runnable but not running, `/proc/<pid>/task/<tid>/schedstat`; per 2xx save, and per " +
                      "switch-in, i.e. what each wake-up waited on average): " + string.Join("; ", rows.Select(r =>
        $"{r.Api.Clients} clients: " + string.Join(", ", r.Queued.OrderBy(g => g.Key).Select(g =>
            $"{g.Key} {1000 * g.Value.WaitSeconds / r.Api.Ok:F2} ms ({g.Value.Switches / (double)r.Api.Ok:F1} switch-ins, {g.Value.MicrosecondsPerSwitch:F0} us each)")))) +
        ". The API's thread-pool threads spin (sched_yield) before they sleep, so their switch-ins are many and short.");
    report.AppendLine();
    report.AppendLine("\"Other processes\" is CPU used by anything but this benchmark (API, its PostgreSQL cluster, the load generator, pgbench) during the window: " +
                      "on a shared machine it is the noise in the figures above.");
    report.AppendLine();
    report.AppendLine($"Setup: API `Release` build in its own process, HTTP/1.1 over 127.0.0.1, one connection per client " +
                      (o.RawHttp ? "(load generator: raw sockets on one blocking thread per client, requests serialised once, only the response id written per request; `--httpclient` for HttpClient)" : "(load generator `--httpclient`: .NET's HttpClient)") +
                      $"; each client saves pages " +
                      $"1..{o.SavesPerResponse} of a response started before the window (open link; the API let settle after the starts, so their projection is not in the window) and moves on to the next; save bodies {run.MeanBodyBytes:F0} bytes " +
                      $"(NPS, 3 choice answers, CSAT, a ~450-character comment); after a JIT warm-up of the fresh API process (at least {o.JitWarmupSeconds} s, until its tiered-compilation thread is nearly idle), per client count a {o.WarmupSeconds} s warm-up, then {o.DurationSeconds} s measured; " +
                      $"every latency recorded. pgbench: `-n -c N -j {o.PgBenchThreads} -T {o.DurationSeconds} --log`, one `insert ... ::jsonb` of the same JSON " +
                      $"({pgRowBytes} bytes) per transaction into `{PgBench.Table}` (bigserial key, uuid, timestamptz, jsonb). PostgreSQL: {settings}.");
    report.AppendLine($"Rate limits raised for the run (`Respondents:RequestsPerMinutePerIp/PerKey`), otherwise default configuration (Hangfire server on).");
    report.AppendLine($"Responses started per second (PUT, same clients) before each window: {string.Join(", ", rows.Select(r => $"{r.StartsPerSecond:F0} at {r.Api.Clients} clients"))}.");
    report.AppendLine();
    report.AppendLine($"Durability check: {run.OkTotal} saves answered 2xx (warm-up included), {events} `response_answers_saved` events in `mt_events`, " +
                      $"{distinct} distinct (response, sequence); {run.UnknownTotal} saves with unknown outcome; failures: " +
                      $"{(rows.Sum(r => r.Api.Failures.Values.Sum()) == 0 ? "none" : string.Join(", ", rows.SelectMany(r => r.Api.Failures.Select(f => $"{f.Key}x{f.Value}"))))}" +
                      $" -> {(durable ? "every 2xx save is one committed event, none lost, none duplicated" : "MISMATCH")}.");

    if (o.Probe)
    {
        await api.DisposeAsync();
        report.AppendLine();
        report.Append(await RoundTrips(o, connectionString, root, pgLog));
    }
    else await api.DisposeAsync();

    File.WriteAllText(o.OutFile, report.ToString());
    Console.WriteLine();
    Console.WriteLine(report.ToString());
    if (!durable) Environment.ExitCode = 2;
}
finally
{
    cluster.Stop();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null) try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

// Waits (at most maxSeconds) until the API uses no more than its rest level plus 5% of a core over one second; returns how long
// that took and the API's CPU seconds above its rest level meanwhile.
static async Task<(double Seconds, double ApiAboveRest)> Settle(Cpu cpu, double restMsPerSecond, int maxSeconds)
{
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    var first = cpu.Take();
    var previous = first;
    while (System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds < maxSeconds)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        var now = cpu.Take();
        var lastSecondMs = 1000 * Cpu.Delta(previous, now).Api;
        previous = now;
        if (lastSecondMs <= restMsPerSecond + 50) break;
    }
    var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
    return (seconds, Math.Max(0, Cpu.Delta(first, previous).Api - restMsPerSecond / 1000 * seconds));
}

static string Others(Cpu.Sample s) =>
    $"{100 * Math.Max(0, s.MachineBusy - s.Api - s.Postgres - s.Self - s.Children) / s.MachineTotal:F0}%";

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

static double P(double[] values, double p)
{
    if (values.Length == 0) return double.NaN;
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

static void Fail(SaveRun.Result r)
{
    if (r.Failures.Count > 0)
        Log($"failures at {r.Clients} clients: {string.Join(", ", r.Failures.Select(f => $"{f.Key}x{f.Value}"))}");
}

static async Task<string> Settings(string connectionString, IEnumerable<string> more)
{
    await using var c = new NpgsqlConnection(connectionString);
    await c.OpenAsync();
    var names = new[] { "server_version", "synchronous_commit", "fsync", "wal_sync_method", "shared_buffers", "max_connections" }.Concat(more).ToArray();
    var parts = new List<string>();
    foreach (var name in names)
        parts.Add($"{name}={await new NpgsqlCommand($"show {name}", c).ExecuteScalarAsync()}");
    return string.Join(", ", parts);
}

static async Task<(long Events, long Distinct)> CountSaveEvents(string connectionString)
{
    await using var c = new NpgsqlConnection(connectionString);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand(
        "select count(*), count(distinct (stream_id, (data->>'sequence')::int)) from survey.mt_events where type = 'response_answers_saved'", c);
    await using var reader = await cmd.ExecuteReaderAsync();
    await reader.ReadAsync();
    return (reader.GetInt64(0), reader.GetInt64(1));
}

// The API again, this time with bench/Probe as a startup hook: for each save, the Npgsql commands it ran (one per round trip) and
// their time; meanwhile PostgreSQL logs every statement (log_min_duration_statement = 0) for the sequential part.
static async Task<string> RoundTrips(Options o, string connectionString, string root, string pgLog)
{
    var probeDll = Path.Combine(Path.GetDirectoryName(o.ApiDll)!, "..", "..", "Probe", "release", "Probe.dll");
    probeDll = Environment.GetEnvironmentVariable("PROBE_DLL") ?? Path.GetFullPath(probeDll);
    var sb = new StringBuilder();
    if (!File.Exists(probeDll)) return $"(round-trip analysis skipped: {probeDll} not built)\n";
    var traceFile = Path.Combine(root, "probe.tsv");
    Log($"round trips: API with startup hook {probeDll}");
    var api = await ApiProcess.Start(o.ApiDll, connectionString, Path.Combine(root, "api-probe.log"),
        new Dictionary<string, string>(o.ApiEnvironment) { ["DOTNET_STARTUP_HOOKS"] = probeDll, ["PROBE_OUT"] = traceFile });
    try
    {
        using var http = SaveRun.NewClient(api.BaseAddress, 8);
        var link = await Respondent.PublishWithLink(http);
        var run = new SaveRun(http, link, o.SavesPerResponse);
        var pool = await run.StartResponses(400, 8);
        await run.Run(pool, 1, TimeSpan.FromSeconds(2)); // JIT and pools warm
        await Task.Delay(200);

        await Sql(connectionString, "alter system set log_min_duration_statement = 0; select pg_reload_conf()");
        await Task.Delay(500);
        var logStart = new FileInfo(pgLog).Length;
        var mark = SaveLines(traceFile).Length;
        var sequential = await run.Run(pool, 1, TimeSpan.FromSeconds(2));
        await Task.Delay(200);
        var sequentialLines = SaveLines(traceFile)[mark..];
        await Sql(connectionString, "alter system reset log_min_duration_statement; select pg_reload_conf()");
        await Task.Delay(500);
        mark = SaveLines(traceFile).Length;
        var loaded = await run.Run(pool.Count > 0 ? pool : await run.StartResponses(400, 8), 8, TimeSpan.FromSeconds(4));
        await Task.Delay(200);
        var loadedLines = SaveLines(traceFile)[mark..];

        var seq = sequentialLines.Select(Parse).ToArray();
        var load = loadedLines.Select(Parse).ToArray();
        sb.AppendLine($"Round trips per save (API run again with the `bench/Probe` startup hook, which records every Npgsql command inside a request; " +
                      $"one command or batch = one round trip; COMMIT is sent as its own message and is not a command, so it is counted from PostgreSQL's log):");
        sb.AppendLine();
        sb.AppendLine($"- 1 client, {seq.Length} saves: median {Median(seq.Select(s => s.Total)):F2} ms per save, of which {Median(seq.Select(s => s.Db)):F2} ms inside " +
                      $"Npgsql commands; Npgsql commands per save: {string.Join(", ", seq.GroupBy(s => s.Commands.Length).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} ({g.Count()} saves)"))}.");
        sb.AppendLine($"- 8 clients, {load.Length} saves ({loaded.PerSecond:F0}/s with the hook): mean {load.Average(s => s.Total):F2} ms per save, " +
                      $"{load.Average(s => s.Db):F2} ms inside Npgsql commands, {load.Average(s => s.Total - s.Db):F2} ms elsewhere (HTTP, JSON, Marten, domain, waiting for a core).");
        if (seq.Length > 0 && seq.All(s => s.Commands.Length == 0))
            sb.AppendLine("- No command ran inside the save requests: with group commit (SaveWriter) a save's commands run in the node's save writer, " +
                          "outside any request, so the hook cannot attribute them; PostgreSQL's log below still counts the statements per save.");
        var example = seq.OrderBy(s => s.Total).ElementAt(seq.Length / 2);
        sb.AppendLine();
        sb.AppendLine("The commands of the median sequential save:");
        sb.AppendLine();
        sb.AppendLine("| # | ms | SQL (shortened) |");
        sb.AppendLine("| ---: | ---: | --- |");
        for (var i = 0; i < example.Commands.Length; i++)
        {
            var (ms, sql) = example.Commands[i];
            sb.AppendLine($"| {i + 1} | {ms:F2} | `{Shorten(sql, 220).Replace("|", "\\|")}` |");
        }

        // PostgreSQL's view: every parse/bind/execute with its time (Hangfire's own polling left out)
        var logged = ReadFrom(pgLog, logStart)
            .Select(l => LogLine().Match(l)).Where(m => m.Success && !m.Groups[3].Value.Contains("hangfire", StringComparison.OrdinalIgnoreCase)
                                                        && !m.Groups[3].Value.Contains("log_min_duration", StringComparison.Ordinal)
                                                        && !m.Groups[3].Value.Contains("pg_reload_conf", StringComparison.Ordinal))
            .Select(m => (Ms: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Phase: m.Groups[2].Value, Sql: m.Groups[3].Value.Trim()))
            .ToArray();
        var saves = Math.Max(1, sequential.Ok);
        var executed = logged.Where(l => l.Phase is "execute" or "statement").ToArray();
        sb.AppendLine();
        sb.AppendLine($"PostgreSQL's log over the same {sequential.Ok} sequential saves (`log_min_duration_statement = 0`): {(double)executed.Length / saves:F1} statements " +
                      $"executed per save; server time per save {logged.Sum(l => l.Ms) / saves:F2} ms (parse {logged.Where(l => l.Phase == "parse").Sum(l => l.Ms) / saves:F2}, " +
                      $"bind {logged.Where(l => l.Phase == "bind").Sum(l => l.Ms) / saves:F2}, execute {executed.Sum(l => l.Ms) / saves:F2}):");
        sb.AppendLine();
        sb.AppendLine("| per save | mean execute ms | statement (shortened) |");
        sb.AppendLine("| ---: | ---: | --- |");
        foreach (var g in executed.GroupBy(s => Shorten(s.Sql, 120)).OrderByDescending(g => g.Count()).Where(g => g.Count() >= saves / 10))
            sb.AppendLine($"| {(double)g.Count() / saves:F2} | {g.Average(x => x.Ms):F3} | `{g.Key.Replace("|", "\\|")}` |");

        var (docs, docBytes, eventBytes) = await Sizes(connectionString);
        sb.AppendLine();
        sb.AppendLine($"Stored sizes: {docs} `Response` documents, {docBytes:F0} bytes of JSON on average (read by FetchForWriting and rewritten by every save); " +
                      $"`response_answers_saved` event JSON {eventBytes:F0} bytes on average.");
    }
    finally
    {
        await api.DisposeAsync();
    }
    return sb.ToString();
}

static (double Total, double Db, (double Ms, string Sql)[] Commands) Parse(string line)
{
    // route \t status \t total ms \t n \t "x.xxxms name :: sql" ...
    var f = line.Split('\t');
    var commands = f.Skip(4).Select(c =>
    {
        var ms = double.Parse(c[..c.IndexOf("ms", StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        var sql = c[(c.IndexOf(":: ", StringComparison.Ordinal) + 3)..];
        return (ms, sql);
    }).ToArray();
    return (double.Parse(f[2], CultureInfo.InvariantCulture), commands.Sum(c => c.ms), commands);
}

static string[] SaveLines(string path)
{
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    using var reader = new StreamReader(stream);
    var lines = new List<string>();
    while (reader.ReadLine() is { } line)
        if (line.Contains("/saves", StringComparison.Ordinal)) lines.Add(line);
    return lines.ToArray();
}

static double Median(IEnumerable<double> values) => P(values.ToArray(), 0.5);

static string Shorten(string s, int max)
{
    s = System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");
    return s.Length <= max ? s : s[..max] + "…";
}

static IEnumerable<string> ReadFrom(string path, long offset)
{
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    stream.Seek(offset, SeekOrigin.Begin);
    using var reader = new StreamReader(stream);
    var lines = new List<string>();
    while (reader.ReadLine() is { } line) lines.Add(line);
    return lines;
}

static async Task<(long Docs, double DocBytes, double EventBytes)> Sizes(string connectionString)
{
    await using var c = new NpgsqlConnection(connectionString);
    await c.OpenAsync();
    await using var docs = new NpgsqlCommand("select count(*), coalesce(avg(octet_length(data::text)), 0) from survey.mt_doc_response", c);
    await using var r = await docs.ExecuteReaderAsync();
    await r.ReadAsync();
    var (n, size) = (r.GetInt64(0), Convert.ToDouble(r.GetValue(1), CultureInfo.InvariantCulture));
    await r.CloseAsync();
    var events = await new NpgsqlCommand("select coalesce(avg(octet_length(data::text)), 0) from survey.mt_events where type = 'response_answers_saved'", c).ExecuteScalarAsync();
    return (n, size, Convert.ToDouble(events, CultureInfo.InvariantCulture));
}

// What PostgreSQL spent its time on during a window (pg_stat_statements: planning and execution, per 2xx save), all databases.
static async Task<string> PgStatements(string connectionString, int clients, long saves)
{
    var sb = new StringBuilder();
    sb.AppendLine($"pg_stat_statements over the {clients}-client window ({saves} saves; ms per save, calls per save):");
    sb.AppendLine();
    sb.AppendLine("| calls/save | plan ms/save | exec ms/save | rows/call | statement (shortened) |");
    sb.AppendLine("| ---: | ---: | ---: | ---: | --- |");
    await using var c = new NpgsqlConnection(connectionString);
    await c.OpenAsync();
    await using var cmd = new NpgsqlCommand(
        "select calls, total_plan_time, total_exec_time, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) from pg_stat_statements " +
        "order by total_plan_time + total_exec_time desc limit 15", c);
    await using var r = await cmd.ExecuteReaderAsync();
    double plan = 0, exec = 0;
    while (await r.ReadAsync())
    {
        var (calls, p, e, rows) = (r.GetInt64(0), r.GetDouble(1), r.GetDouble(2), r.GetInt64(3));
        plan += p; exec += e;
        sb.AppendLine($"| {(double)calls / saves:F2} | {p / saves:F3} | {e / saves:F3} | {(double)rows / Math.Max(1, calls):F1} | `{r.GetString(4).Replace("|", "\\|")}` |");
    }
    sb.AppendLine($"| | **{plan / saves:F3}** | **{exec / saves:F3}** | | top 15 together |");
    sb.AppendLine();
    return sb.ToString();
}

static async Task Sql(string connectionString, string sql)
{
    await using var c = new NpgsqlConnection(connectionString);
    await c.OpenAsync();
    foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        await new NpgsqlCommand(statement, c).ExecuteNonQueryAsync();
}

internal partial class Program
{
    [System.Text.RegularExpressions.GeneratedRegex(@"duration: ([0-9.]+) ms\s+(parse|bind|execute|statement)[^:]*: (.*)$")]
    private static partial System.Text.RegularExpressions.Regex LogLine();
}
