using System.Diagnostics;
using System.Globalization;
using AnalyticsBench;
using Npgsql;
using Survey.Api.Hosting;
using SaveLoad;

// bench/analytics/run.sh: seed a synthetic company, let the API's async daemon project it, then time all dealer scorecards for one
// month plus the national league table (through the API) next to a hand-written SQL computing NPS per dealer from the same events.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "");
var scale = double.Parse(options.GetValueOrDefault("scale", "0.1"), CultureInfo.InvariantCulture);
var apiDll = Path.GetFullPath(options["api-dll"]);
var output = options.GetValueOrDefault("out", "bench/analytics/.last-run.md");
var runs = int.Parse(options.GetValueOrDefault("runs", "5"), CultureInfo.InvariantCulture);
int dealers = 1000, regions = 20, events = (int)(1_000_000 * scale), responses = (int)(300_000 * scale);
void Log(string s) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {s}");

// --data DIR keeps the cluster in DIR and reuses its seed on the next run (same scale), for A/B runs of two API builds on one seed:
// the ResponseFact projection is then reset, so every run measures the daemon's catch-up from zero
var keep = options.TryGetValue("data", out var keptDir);
var dataDir = keep ? Path.GetFullPath(keptDir!) : Directory.CreateTempSubdirectory("survey-analytics-bench-").FullName;
using var postgres = EmbeddedPostgres.Start(dataDir);
postgres.EnsureDatabase("bench");
var connectionString = postgres.ConnectionString("bench");
await using var db = NpgsqlDataSource.Create(connectionString);
async Task<long> Scalar(string sql) { await using var c = db.CreateCommand(sql); return Convert.ToInt64(await c.ExecuteScalarAsync() ?? 0L); }
async Task Execute(string sql) { await using var c = db.CreateCommand(sql); await c.ExecuteNonQueryAsync(); }

var scaleText = scale.ToString(CultureInfo.InvariantCulture);
var seeded = await Scalar("select count(*) from pg_tables where schemaname = 'public' and tablename = 'bench_seed'") > 0
    && await Scalar($"select count(*) from public.bench_seed where scale = {scaleText}") > 0;
double seedSeconds;
if (seeded)
{
    seedSeconds = await Scalar("select seconds from public.bench_seed");
    Log($"PostgreSQL on port {postgres.Port}, reusing the seed in {dataDir}; resetting the ResponseFact projection");
    await Execute("delete from survey.mt_event_progression where name like 'ResponseFact%'");
    if (await Scalar("select count(*) from pg_tables where schemaname = 'survey' and tablename = 'mt_doc_responsefact'") > 0)
        await Execute("truncate survey.mt_doc_responsefact");
}
else
{
    if (await Scalar("select count(*) from pg_namespace where nspname = 'survey'") > 0)
        throw new InvalidOperationException($"{dataDir} holds another seed (another scale, or an interrupted run): remove the folder.");
    Log($"PostgreSQL on port {postgres.Port}, data in {dataDir}; seeding {dealers} dealers in {regions} regions, {events:N0} events, {responses:N0} responses");
    var seedClock = Stopwatch.StartNew();
    await using (var store = Seed.Store(connectionString))
        await Seed.Run(store, dealers, regions, events, responses, Log);
    seedSeconds = seedClock.Elapsed.TotalSeconds;
    await Execute("analyze");
    await Execute($"create table public.bench_seed as select {scaleText}::float8 as scale, {seedSeconds:F0}::bigint as seconds");
}
var highWater = await Scalar("select coalesce(max(seq_id), 0) from survey.mt_events");
var eventTypes = string.Join(", ", await ReadAll("select distinct type from survey.mt_events order by 1"));
Log($"{highWater:N0} events in the store ({eventTypes}); starting the API, its daemon catches up");

var logFile = Path.Combine(Path.GetTempPath(), "analytics-bench-api.log");
var apiClock = Stopwatch.StartNew();
await using var api = await ApiProcess.Start(apiDll, connectionString, logFile);
Log($"API healthy after {apiClock.Elapsed.TotalSeconds:N1} s");
// CPU seconds the API process used (user + system, from /proc): less distorted by other load on the machine than wall-clock time
double ApiCpu() { var f = File.ReadAllText($"/proc/{api.Pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries); return (long.Parse(f[11]) + long.Parse(f[12])) / 100.0; }
var cpuAtStart = ApiCpu();
double? firstAt = null; long firstSeq = 0; double doneAt;
while (true)
{
    var progress = await Scalar("select coalesce(max(last_seq_id), 0) from survey.mt_event_progression where name like 'ResponseFact%'");
    if (progress > 0 && firstAt is null) (firstAt, firstSeq, cpuAtStart) = (apiClock.Elapsed.TotalSeconds, progress, ApiCpu());
    if (progress >= highWater) { doneAt = apiClock.Elapsed.TotalSeconds; break; }
    if (apiClock.Elapsed > TimeSpan.FromMinutes(60)) throw new TimeoutException("The daemon did not catch up within an hour.");
    await Task.Delay(200);
}
var catchUpSeconds = doneAt - firstAt!.Value;
var catchUpRate = (highWater - firstSeq) / Math.Max(catchUpSeconds, 0.001);
var catchUpCpu = ApiCpu() - cpuAtStart;
var facts = await Scalar("select count(*) from survey.mt_doc_responsefact where status = 'completed'");
Log($"caught up: {highWater:N0} events, {facts:N0} completed facts; {catchUpRate:N0} events/s from first progress to the high-water mark ({catchUpSeconds:N1} s)");

// the month: October 2026 in the tenant's zone (Asia/Shanghai)
var from = new DateTimeOffset(2026, 9, 30, 16, 0, 0, TimeSpan.Zero);
var until = new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero);
using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
// the development sign-in (ApiProcess turns it on), as an administrator: every dealer, verbatims included
using (var signIn = await http.PostAsync("/api/dev/sign-in", System.Net.Http.Json.JsonContent.Create(new { user = "bench", role = "administrator" })))
{
    signIn.EnsureSuccessStatusCode();
    var token = System.Text.Json.JsonDocument.Parse(await signIn.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
    http.DefaultRequestHeaders.Authorization = new("Bearer", token);
}
const string query = "period=month&date=2026-10-15";

// hand-written: NPS per dealer from the events (completed in the month, their answers, the invitation, the operational event)
var handSql = $"""
    select e.data->'event'->>'dealerCode' as dealer, count(*) as n,
      100.0 * (count(*) filter (where (s.data->'answers'->'nps'->>'number')::int >= 9) - count(*) filter (where (s.data->'answers'->'nps'->>'number')::int <= 6)) / count(*) as nps
    from survey.mt_events c
      join survey.mt_events st on st.stream_id = c.stream_id and st.type = 'response_started'
      join survey.mt_events s on s.stream_id = c.stream_id and s.type = 'response_answers_saved'
      join survey.mt_doc_invitation i on i.tenant_id = c.tenant_id and i.id = (st.data->'source'->>'invitationId')::uuid
      join survey.mt_doc_operationaleventrecord e on e.tenant_id = i.tenant_id and e.id = i.data->>'eventExternalId'
    where c.type = 'response_completed' and c.tenant_id = 'default'
      and (c.data->>'completedAt')::timestamptz >= '{from.UtcDateTime:O}' and (c.data->>'completedAt')::timestamptz < '{until.UtcDateTime:O}'
    group by 1
    """;
var apiCpu = new List<double>();
var handTimes = new List<double>(); var apiTimes = new List<double>(); var cardTimes = new List<double>(); var leagueTimes = new List<double>();
int handDealers = 0, cardCount = 0; long handResponses = 0;
for (var run = 0; run <= runs; run++) // run 0 warms up (JIT, caches) and is not counted
{
    var t = Stopwatch.StartNew();
    await using (var c = db.CreateCommand(handSql))
    await using (var r = await c.ExecuteReaderAsync())
    {
        handDealers = 0; handResponses = 0;
        while (await r.ReadAsync()) { handDealers++; handResponses += r.GetInt64(1); }
    }
    var hand = t.Elapsed.TotalMilliseconds;

    t.Restart();
    var cpuBefore = ApiCpu();
    var cards = await http.GetStringAsync($"/api/analytics/scorecards?{query}");
    var cardMs = t.Elapsed.TotalMilliseconds;
    t.Restart();
    var league = await http.GetStringAsync($"/api/analytics/league?{query}");
    var leagueMs = t.Elapsed.TotalMilliseconds;
    var cpuMs = (ApiCpu() - cpuBefore) * 1000;
    cardCount = System.Text.Json.JsonDocument.Parse(cards).RootElement.GetArrayLength();
    if (run == 0) continue;
    apiCpu.Add(cpuMs); handTimes.Add(hand); cardTimes.Add(cardMs); leagueTimes.Add(leagueMs); apiTimes.Add(cardMs + leagueMs);
    Log($"run {run}: hand-written SQL {hand:N0} ms; scorecards {cardMs:N0} ms + league {leagueMs:N0} ms (API CPU {cpuMs:N0} ms)");
}
static double Median(List<double> x) { var s = x.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
var ratio = Median(apiTimes) / Median(handTimes);

var md = $"""
    | seed | dealers / regions | operational events | invitations (40%) | completed responses | response events | seed time |
    | --- | ---: | ---: | ---: | ---: | ---: | ---: |
    | scale {scale} | {dealers} / {regions} | {events:N0} | {events * 2 / 5:N0} | {responses:N0} | {highWater:N0} | {seedSeconds:N0} s |

    Async daemon catch-up (API started on the seeded store, `ResponseFact` projection from 0 to the high-water mark): **{catchUpRate:N0} events/s**
    ({highWater - firstSeq:N0} events in {catchUpSeconds:N1} s; first progress {firstAt:N1} s after the API process started; the API process used
    {catchUpCpu:N1} CPU s meanwhile, {(highWater - firstSeq) / Math.Max(catchUpCpu, 0.01):N0} events per API CPU second).

    October 2026 (Asia/Shanghai), medians of {runs} runs after one warm-up:

    | what | median ms | min ms | max ms |
    | --- | ---: | ---: | ---: |
    | all {cardCount} dealer scorecards (`GET /api/analytics/scorecards`, 6-month trend, previous month, ranks, gaps, verbatims, over HTTP) | {Median(cardTimes):N0} | {cardTimes.Min():N0} | {cardTimes.Max():N0} |
    | national league table (`GET /api/analytics/league`) | {Median(leagueTimes):N0} | {leagueTimes.Min():N0} | {leagueTimes.Max():N0} |
    | **scorecards + league** | **{Median(apiTimes):N0}** | {apiTimes.Min():N0} | {apiTimes.Max():N0} |
    | API process CPU time for scorecards + league | {Median(apiCpu):N0} | {apiCpu.Min():N0} | {apiCpu.Max():N0} |
    | hand-written SQL: NPS per dealer from the events joined to invitations and operational events ({handDealers} dealers, {handResponses:N0} responses) | {Median(handTimes):N0} | {handTimes.Min():N0} | {handTimes.Max():N0} |

    Ratio (scorecards + league) / hand-written SQL: **{ratio:N2}** (target ≤ 1.5); month under 3 s: **{(Median(apiTimes) < 3000 ? "yes" : "no")}**; catch-up ≥ 3,000 events/s: **{(catchUpRate >= 3000 ? "yes" : "no")}**.
    """;
if (options.ContainsKey("trace")) md += "\n\n" + await Trace();
await File.WriteAllTextAsync(output, md);
Console.WriteLine(md);
postgres.Stop();
if (!keep) Directory.Delete(dataDir, recursive: true);

// --trace: one more scorecards call and one more league call with every statement logged by PostgreSQL: statements per request, server time
async Task<string> Trace()
{
    var log = dataDir.TrimEnd('/') + ".log";
    var sections = new List<string>();
    foreach (var path in new[] { "/api/analytics/scorecards", "/api/analytics/league" })
    {
        await Execute("alter system set log_min_duration_statement = 0");
        await Execute("select pg_reload_conf()");
        await Task.Delay(500);
        var start = new FileInfo(log).Length;
        await http.GetStringAsync($"{path}?{query}");
        await Execute("alter system reset log_min_duration_statement");
        await Execute("select pg_reload_conf()");
        await Task.Delay(500);
        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        reader.BaseStream.Seek(start, SeekOrigin.Begin);
        var statements = new List<(double Ms, string Sql)>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"duration: ([0-9.]+) ms\s+(?:(?:execute|parse|bind)[^:]*|statement): (.*)$");
            if (!m.Success || m.Groups[2].Value.Contains("log_min_duration_statement") || m.Groups[2].Value.Contains("pg_reload_conf")) continue;
            statements.Add((double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value.Trim()));
        }
        var rows = statements.GroupBy(s => s.Sql.Length > 100 ? s.Sql[..100] : s.Sql).Select(g => (Sql: g.Key, N: g.Count(), Ms: g.Sum(s => s.Ms)))
            .OrderByDescending(g => g.Ms).Take(8).Select(g => $"| `{g.Sql.Replace("|", "/").Replace("`", "'")}` | {g.N} | {g.Ms:N1} |");
        sections.Add($"Trace of one `GET {path}`: {statements.Count} statement log lines (parse, bind and execute each count), {statements.Sum(s => s.Ms):N1} ms server time:\n\n"
            + "| statement (first 100 characters) | lines | ms |\n| --- | ---: | ---: |\n" + string.Join("\n", rows));
    }
    return string.Join("\n\n", sections);
}

async Task<List<string>> ReadAll(string sql)
{
    await using var c = db.CreateCommand(sql);
    await using var r = await c.ExecuteReaderAsync();
    var list = new List<string>();
    while (await r.ReadAsync()) list.Add(r.GetString(0));
    return list;
}
