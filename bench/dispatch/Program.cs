using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bench;
using DispatchBench;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Npgsql;
using SaveLoad;
using Survey.Api.Hosting;

// bench/dispatch/run.sh: due invitations sent by the real API (own process, Release; its Hangfire job claims them from the due table)
// to Postfix's smtp-sink (e-mail) and an SMS stand-in (Twilio's API), first with nothing else waiting, then with a million invitations waiting
// for a later send time; next to a bare MailKit loop sending the same e-mails to the same server with the same parallelism.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).GroupBy(x => x.a[2..])
    .ToDictionary(g => g.Key, g => g.Last().i + 1 < args.Length ? args[g.Last().i + 1] : ""); // a repeated option (--api-env): see below
var scale = double.Parse(options.GetValueOrDefault("scale", "1"), CultureInfo.InvariantCulture);
var due = int.Parse(options.GetValueOrDefault("invitations", ((int)(100_000 * scale)).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var waiting = int.Parse(options.GetValueOrDefault("waiting", ((int)(1_000_000 * scale)).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var parallel = int.Parse(options.GetValueOrDefault("parallel", "8"), CultureInfo.InvariantCulture);
var apiDll = Path.GetFullPath(options["api-dll"]);
var output = options.GetValueOrDefault("out", "bench/dispatch/.last-run.md");
// --vacuum none|bench: the bench writes in bulk what production writes a little at a time (the seeding's events, a million waiting
// invitations in one statement, a run's due times moved in one statement) and PostgreSQL's autovacuum cleans up after such bulk
// writes a minute later, in the middle of the next run. "bench": VACUUM ANALYZE the database before each run's due times are
// moved and the due table right after, so that a run pays only for cleaning up after its own dispatch; "none": only ANALYZE the
// due table after adding the waiting invitations (the bench before 2026-12-01)
var vacuum = options.GetValueOrDefault("vacuum", "none");
// --email-only: every invitation goes by e-mail (no SMS lane beside it), to see the e-mail lane alone against the bare loop
var emailOnly = options.ContainsKey("email-only");
if (vacuum is not ("none" or "bench")) throw new ArgumentException($"--vacuum {vacuum}: none or bench.");
void Log(string s) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {s}");

var root = Path.Combine(Path.GetTempPath(), $"survey-dispatch-bench-{Environment.ProcessId}");
Directory.CreateDirectory(root);
if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101); // the cluster runs as the postgres user when this runs as root
var postgres = EmbeddedPostgres.Start(Path.Combine(root, "pg"));
try
{
    postgres.EnsureDatabase("bench");
    var connectionString = postgres.ConnectionString("bench");
    var postmaster = int.Parse(File.ReadLines(Path.Combine(postgres.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
    var sinkExecutable = options.GetValueOrDefault("smtp-sink", "/usr/sbin/smtp-sink");
    await using var smtp = await SmtpSink.Start(sinkExecutable, Path.Combine(root, "mail"));
    await using var sms = await SmsStandIn.Start();
    Log($"PostgreSQL on port {postgres.Port}, smtp-sink on {smtp.Port}, SMS stand-in at {sms.BaseAddress}; {due:N0} due invitations per run, {waiting:N0} waiting, parallelism {parallel}");

    var apiEnvironment = new Dictionary<string, string>
    {
        ["Channels__Email__Host"] = "127.0.0.1", ["Channels__Email__Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Channels__Email__TlsMode"] = "None", ["Channels__Email__FromAddress"] = "survey@bench.example", ["Channels__Email__FromName"] = "Bench Motors",
        ["Channels__Sms__AccountSid"] = SmsStandIn.AccountSid, ["Channels__Sms__AuthToken"] = SmsStandIn.AuthToken, ["Channels__Sms__From"] = "+15005550006",
        ["Channels__Sms__BaseUrl"] = sms.BaseAddress.ToString().TrimEnd('/'),
        // the provider's rate is the stand-in's: no pacing, the same parallelism on both lanes as the bare loop below
        ["Invitations__Dispatch__Channels__email__MaxParallel"] = parallel.ToString(CultureInfo.InvariantCulture),
        ["Invitations__Dispatch__Channels__sms__MaxParallel"] = parallel.ToString(CultureInfo.InvariantCulture),
        ["Invitations__Dispatch__Channels__sms__PerSecond"] = "0",
        ["Respondents__PublicBaseUrl"] = "https://survey.bench.example",
    };
    // --perf-map: JIT-compiled frames get names in `perf record` of the API (see "Profiling the API" in bench/experiments/README.md)
    if (options.ContainsKey("perf-map")) { apiEnvironment["DOTNET_PerfMapEnabled"] = "1"; apiEnvironment["DOTNET_EnableWriteXorExecute"] = "0"; }
    // --api-env NAME=VALUE (repeatable): an environment variable for the API, e.g. a runtime setting to compare
    foreach (var (arg, i) in args.Select((a, i) => (a, i)).Where(x => x.a == "--api-env" && x.i + 1 < args.Length))
        apiEnvironment[args[i + 1].Split('=', 2)[0]] = args[i + 1].Split('=', 2)[1];
    await using var api = await ApiProcess.Start(apiDll, connectionString, Path.Combine(root, "api.log"), apiEnvironment);
    Log($"API (pid {api.Pid}) at {api.BaseAddress}");
    using var admin = await BenchApi.Administrator(api.BaseAddress);
    var questionnaire = (await BenchApi.Expect(await admin.PostAsJsonAsync("/api/questionnaires", Questionnaire()))).GetProperty("id").GetGuid();
    await BenchApi.Expect(await admin.PostAsync($"/api/questionnaires/{questionnaire}/publish", null));
    foreach (var (type, channel) in new[] { ("service.completed", "email"), ("vehicle.delivered", "sms") })
    {
        // due in 30 days: the bench moves the due times of one set at a time to the moment it measures
        var trigger = await BenchApi.Expect(await admin.PostAsJsonAsync("/api/triggers", new
        {
            name = $"bench {channel}", eventType = type, filter = Array.Empty<object>(), questionnaireId = questionnaire, delay = "30.00:00:00",
            channels = new[] { channel }, samplingRate = 100, invitationExpiry = "7.00:00:00",
        }));
        await BenchApi.Expect(await admin.PostAsync($"/api/triggers/{trigger.GetProperty("id").GetGuid()}/publish", null));
    }
    var key = await BenchApi.NewApiKey(admin);
    // --idle SECONDS: only what the API and PostgreSQL spend at rest (nothing due) over that long, then stop
    if (options.TryGetValue("idle", out var idleText))
    {
        var idle = TimeSpan.FromSeconds(double.Parse(idleText, CultureInfo.InvariantCulture));
        await Task.Delay(TimeSpan.FromSeconds(70)); // past the first minutely start of the dispatcher job
        var (api0, pg0) = (BenchApi.CpuSeconds(api.Pid), BenchApi.PostgresCpuSeconds(postmaster));
        await Task.Delay(idle);
        var line = $"At rest over {idle.TotalSeconds:N0} s: API {(BenchApi.CpuSeconds(api.Pid) - api0) / idle.TotalSeconds * 100:N2}% of a core, PostgreSQL {(BenchApi.PostgresCpuSeconds(postmaster) - pg0) / idle.TotalSeconds * 100:N2}%.";
        Log(line);
        await File.WriteAllTextAsync(output, line);
        return;
    }
    await using var db = NpgsqlDataSource.Create(connectionString);
    async Task<long> Scalar(string sql) { await using var c = db.CreateCommand(sql); c.CommandTimeout = 600; return Convert.ToInt64(await c.ExecuteScalarAsync() ?? 0L); }

    // seeding through the ingestion path: one event per customer (fatigue allows one invitation per customer), half of them
    // service visits (e-mail trigger), half deliveries (SMS trigger)
    var seedClock = Stopwatch.StartNew();
    // the warm-up: enough batches that the API's per-message code has been re-JITted at its top tier before run A (the tiering
    // thread's CPU still shows in each row, apart). 2,000 (four batches) left run A paying ~0.09 ms of JIT per invitation, a
    // fifth of the API's CPU there, against 0.01-0.02 in run B (2026-12-01): a fifth of a run, at most 10,000
    var warmUp = int.Parse(options.GetValueOrDefault("warm-up", Math.Min(10_000, Math.Max(50, due / 5)).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
    await Seed("W", warmUp);
    foreach (var set in new[] { "A", "B" }) await Seed(set, due);
    var seedSeconds = seedClock.Elapsed.TotalSeconds;
    await Scalar("""
        create table bench_set as select i.id, left(i.data->>'eventExternalId', 1) as set from survey.mt_doc_invitation i
        join survey.invitation_due d on d.invitation_id = i.id;
        create index on bench_set (set, id); analyze bench_set
        """);
    var scheduled = await Scalar("select count(*) from bench_set");
    Log($"seeded {2 * due + warmUp:N0} events through the webhook in {seedSeconds:N0} s ({(2 * due + warmUp) / seedSeconds:N0} events/s with the triggers live): {scheduled:N0} invitations scheduled");
    if (scheduled != 2 * due + warmUp) throw new InvalidOperationException($"{scheduled} invitations scheduled, expected {2 * due + warmUp}.");
    // the seeding grew the tables from empty within a minute or two, before autovacuum's first visit: statements prepared
    // meanwhile were planned for near-empty tables (a database autovacuum has visited has statistics; --no-analyze: without)
    if (!options.ContainsKey("no-analyze")) await Scalar("analyze");
    // a first, small run (not counted) so that run A does not pay for JIT compilation and cold pools
    await Run("W", "warm-up", warmUp);

    var none = await Run("A", "none waiting");
    // the waiting invitations: rows of the due table due in 60-90 days (a dispatcher never opens one before it is due)
    var copyClock = Stopwatch.StartNew();
    await Scalar($"insert into survey.invitation_due select gen_random_uuid(), 'default', now() + interval '60 days' + random() * interval '30 days', null from generate_series(1, {waiting})");
    var waitingSeconds = copyClock.Elapsed.TotalSeconds;
    // VACUUM cannot run inside the implicit transaction of a multi-statement command: a command of its own
    await Scalar(vacuum == "bench" ? "vacuum analyze survey.invitation_due" : "analyze survey.invitation_due");
    var settleSeconds = copyClock.Elapsed.TotalSeconds - waitingSeconds;
    Log($"{waiting:N0} waiting invitations added to the due table in {waitingSeconds:N1} s");
    var full = await Run("B", $"{waiting:N0} waiting");
    // --explain: the plan of the dispatcher's read of a batch (InvitationStreams.Load) for 500 invitations of run A, and the size of their documents
    if (options.ContainsKey("explain"))
    {
        await using (var c = db.CreateCommand("""
            explain (analyze, buffers) select s.id, d.data, s.version from survey.mt_streams s
            left join survey.mt_doc_invitation d on d.tenant_id = s.tenant_id and d.id = s.id
            where s.tenant_id = 'default' and s.id = any(array(select id from bench_set where set = 'A' limit 500))
            """))
        await using (var r = await c.ExecuteReaderAsync())
            while (await r.ReadAsync()) Log($"explain: {r.GetString(0)}");
        await using (var c = db.CreateCommand("select avg(pg_column_size(data))::int, avg(length(data::text))::int, count(*) from survey.mt_doc_invitation"))
        await using (var r = await c.ExecuteReaderAsync())
            while (await r.ReadAsync()) Log($"invitation documents: {r.GetInt32(0)} bytes stored, {r.GetInt32(1)} characters of JSON on average, {r.GetInt64(2):N0} documents");
    }

    // the bare MailKit loop: the e-mails of run A as smtp-sink stored them, sent again to the same server with the same parallelism
    var files = smtp.Files().Take(none.Emails).ToArray();
    // its warm-up, as the API had one: MimeKit's parser and MailKit's client at their top JIT tier before the loop is timed
    await BareLoop(files.Take(Math.Max(warmUp / 2, 200)).ToArray(), reuseConnection: true);
    var (bareReused, bareReusedSeconds, bareReusedSmtp, bareReusedMachine) = await BareLoop(files, reuseConnection: true);
    var (bareEach, bareEachSeconds, bareEachSmtp, bareEachMachine) = await BareLoop(files, reuseConnection: false);
    Log($"bare MailKit loop: {bareReused / bareReusedSeconds:N0}/s on {parallel} reused connections, {bareEach / bareEachSeconds:N0}/s with a connection per message");

    var bareRate = bareReused / bareReusedSeconds;
    var md = $"""
        {due:N0} due invitations per run ({(emailOnly ? "all e-mail to smtp-sink (`--email-only`)" : "half e-mail to smtp-sink, half SMS to a Twilio stand-in")}), parallelism {parallel} per channel lane and in the bare loop;
        seeded through `POST /api/ingest/events` with two live triggers ({2 * due + warmUp:N0} events in {seedSeconds:N0} s, {(2 * due + warmUp) / seedSeconds:N0} events/s); a warm-up run of {warmUp:N0} first, not counted.
        Due times of one set are moved to the next minute boundary minus 1 s (the dispatcher is Hangfire's minutely recurring job, which looks again every second); delay = `invitation_sent` event time - due time.

        | run | sent (e-mail / SMS) | first attempt to last sent, s | **invitations/s** | e-mail/s | SMS/s | p50 / p95 / max due-to-sent, s | CPU ms per invitation: API (of which JIT tiering, GC) / PostgreSQL (of which autovacuum) / smtp-sink | PostgreSQL transactions per invitation | machine busy / of it other processes |
        | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
        {none.Row}
        {full.Row}
        | bare MailKit loop, {parallel} connections each reused | {bareReused:N0} e-mails | {bareReusedSeconds:N1} | | **{bareRate:N0}** | | | - / - / {bareReusedSmtp:N2} | | {bareReusedMachine} |
        | bare MailKit loop, a connection per message | {bareEach:N0} e-mails | {bareEachSeconds:N1} | | {bareEach / bareEachSeconds:N0} | | | - / - / {bareEachSmtp:N2} | | {bareEachMachine} |

        Checks: run A {none.Check}; run B {full.Check}.{(options.ContainsKey("no-analyze") ? "" : " `analyze` of the database after the seeding.")} Waiting invitations added with one `insert ... select` in {waitingSeconds:N1} s, then {(vacuum == "bench" ? "`vacuum analyze`" : "`analyze`")} of the due table ({settleSeconds:N1} s){(vacuum == "bench" ? "; `vacuum analyze` of the database before each run's due times were moved and of the due table after (`--vacuum bench`)" : "")}.
        PostgreSQL during run A: {none.Autovacuum}. During run B: {full.Autovacuum}.

        Targets: >= 1,000 invitations/s: **{(none.Rate >= 1000 && full.Rate >= 1000 ? "met" : "missed")}** ({none.Rate:N0} and {full.Rate:N0}/s);
        invitations/s >= 0.5x the bare loop's e-mails/s: **{(none.Rate >= 0.5 * bareRate && full.Rate >= 0.5 * bareRate ? "met" : "missed")}** ({none.Rate / bareRate:N2}x and {full.Rate / bareRate:N2}x);
        e-mail lane >= 0.5x the bare loop{(emailOnly ? " (every invitation an e-mail: the same messages as the loop)" : " (the e-mail half alone, sharing the machine with as many SMS)")}: **{(none.EmailRate >= 0.5 * bareRate && full.EmailRate >= 0.5 * bareRate ? "met" : "missed")}** ({none.EmailRate / bareRate:N2}x and {full.EmailRate / bareRate:N2}x);
        with {waiting:N0} waiting within 20% of none waiting: **{(Math.Abs(full.Rate - none.Rate) <= 0.2 * none.Rate ? "met" : "missed")}** ({full.Rate / none.Rate:N2}x).
        """;
    await File.WriteAllTextAsync(output, md);
    Console.WriteLine(md);
    if (!none.Ok || !full.Ok) Environment.ExitCode = 1;

    async Task Seed(string set, int count)
    {
        using var ingest = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        ingest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        var starts = new ConcurrentQueue<int>(Enumerable.Range(0, (count + 999) / 1000).Select(b => b * 1000 + 1));
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (starts.TryDequeue(out var from))
            {
                var events = new JsonArray();
                for (var i = from; i < from + 1000 && i <= count; i++)
                {
                    var zh = i % 3 != 0;
                    events.Add(new JsonObject
                    {
                        ["externalId"] = $"{set}-RO-{i:D8}", ["type"] = emailOnly || i % 2 == 0 ? "service.completed" : "vehicle.delivered", ["occurredAt"] = at,
                        ["dealerCode"] = $"D{i % 300:D4}",
                        ["customer"] = new JsonObject
                        {
                            ["externalId"] = $"{set}-C-{i:D8}", ["name"] = zh ? "王伟" : $"Customer {i}", ["email"] = $"c{i}.{set.ToLowerInvariant()}@example.com",
                            ["mobile"] = $"139{i:D8}", ["preferredLanguage"] = zh ? "zh-CN" : "en",
                            ["consents"] = new JsonArray(
                                new JsonObject { ["channel"] = "email", ["given"] = true, ["at"] = at, ["source"] = "dms" },
                                new JsonObject { ["channel"] = "sms", ["given"] = true, ["at"] = at, ["source"] = "dms" }),
                        },
                        ["attributes"] = new JsonObject { ["vehicleModel"] = "A6L", ["advisor"] = $"advisor-{i % 40}", ["amount"] = "1280.00" },
                    });
                }
                var result = await BenchApi.Expect(await ingest.PostAsync("/api/ingest/events",
                    JsonContent.Create(new JsonObject { ["events"] = events })));
                if (result.GetProperty("rejected").GetArrayLength() > 0) throw new InvalidOperationException($"rejected: {result.GetProperty("rejected")}");
            }
        })));
    }

    async Task<RunResult> Run(string set, string label, int? count = null)
    {
        var expected = count ?? due;
        if (vacuum == "bench") await Scalar("vacuum analyze");
        var now = DateTimeOffset.UtcNow;
        var dueAt = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(now.Second >= 55 ? 2 : 1).AddSeconds(-1);
        await Scalar($"update survey.invitation_due d set due_at = '{dueAt.UtcDateTime:O}' from bench_set s where s.id = d.invitation_id and s.set = '{set}'");
        if (vacuum == "bench") await Scalar("vacuum analyze survey.invitation_due");
        Log($"run {set} ({label}): {expected:N0} invitations due at {dueAt:HH:mm:ss}");
        var smsBefore = sms.Accepted;
        var mailBefore = smtp.MessageIds().Count;
        var repeatedBefore = sms.Repeated;
        // nothing can go out before the due time: the CPU counted is the dispatch's, not the API's idle minute before it
        if (dueAt - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(1)) await Task.Delay(dueAt - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1));
        // --pg-log: every statement of the run with its duration in the cluster's log (kept with BENCH_KEEP=1), to count statements per invitation
        if (options.ContainsKey("pg-log")) { await Scalar("alter system set log_min_duration_statement = 0"); await Scalar("select 1 from pg_reload_conf()"); }
        var threads0 = new Cpu(api.Pid, postmaster).TakeApiThreads();
        var cpu0 = (Api: BenchApi.CpuSeconds(api.Pid), Pg: BenchApi.PostgresCpuSeconds(postmaster), Smtp: BenchApi.CpuSeconds(smtp.Pid));
        var machine0 = new Cpu(api.Pid, postmaster).Take();
        var transactions0 = await Scalar("select xact_commit + xact_rollback from pg_stat_database where datname = current_database()");
        var autovacuum = await AutovacuumWatch.Start(db);
        var (hit0, read0) = (await Scalar("select blks_hit from pg_stat_database where datname = current_database()"), await Scalar("select blks_read from pg_stat_database where datname = current_database()"));
        var deadline = DateTime.UtcNow.AddMinutes(30);
        long left;
        // the set's rows are the only ones due before next month (the other sets wait 30 days, the waiting ones 60-90): counted on
        // the due_at index, not by joining a million rows once a second (that join cost PostgreSQL more than the dispatch it watched)
        while ((left = await Scalar($"select count(*) from survey.invitation_due where due_at < '{dueAt.AddDays(1).UtcDateTime:O}'")) > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{left} invitations of run {set} still due after 30 minutes.");
            await Task.Delay(1000);
            await autovacuum.Sample();
            if (DateTimeOffset.UtcNow.Second % 10 == 0) Log($"run {set}: {left:N0} left");
        }
        if (options.ContainsKey("pg-log")) { await Scalar("alter system reset log_min_duration_statement"); await Scalar("select 1 from pg_reload_conf()"); }
        var (jit, gc, _) = new Cpu(api.Pid, postmaster).TakeApiThreads().Since(threads0);
        var autovacuumNote = await autovacuum.Summary();
        // pages found in PostgreSQL's shared buffers and pages it had to read (from the OS cache or the disk), autovacuum's included
        var (hit1, read1) = (await Scalar("select blks_hit from pg_stat_database where datname = current_database()"), await Scalar("select blks_read from pg_stat_database where datname = current_database()"));
        var cpu1 = (Api: BenchApi.CpuSeconds(api.Pid), Pg: BenchApi.PostgresCpuSeconds(postmaster), Smtp: BenchApi.CpuSeconds(smtp.Pid));
        var machine = MachineShare(machine0, new Cpu(api.Pid, postmaster).Take(), cpu1.Smtp - cpu0.Smtp);
        // transactions (each autocommitted statement is one; a SaveChanges with its batched statements is one): about the round trips
        // per invitation, including the bench's own polling of once a second and Hangfire's housekeeping
        var transactions = await Scalar("select xact_commit + xact_rollback from pg_stat_database where datname = current_database()") - transactions0;
        var sent = new List<(DateTimeOffset At, string Channel)>();
        var attempted = new List<(DateTimeOffset At, string Channel)>();
        await using (var c = db.CreateCommand($"""
            select e.timestamp, e.data->>'channel', e.type from survey.mt_events e join bench_set s on s.id = e.stream_id and s.set = '{set}'
            where e.type in ('invitation_sent', 'invitation_send_attempted')
            """))
        await using (var r = await c.ExecuteReaderAsync())
            while (await r.ReadAsync()) (r.GetString(2) == "invitation_sent" ? sent : attempted).Add((r.GetFieldValue<DateTimeOffset>(0), r.GetString(1)));
        var statuses = new List<string>();
        await using (var c = db.CreateCommand($"select i.data->>'status' || ' ' || count(*) from survey.mt_doc_invitation i join bench_set s on s.id = i.id and s.set = '{set}' group by i.data->>'status'"))
        await using (var r = await c.ExecuteReaderAsync())
            while (await r.ReadAsync()) statuses.Add(r.GetString(0));
        var emails = sent.Count(s => s.Channel == "email");
        var texts = sent.Count(s => s.Channel == "sms");
        // from the first attempt recorded (before its provider hears of it) to the last outcome recorded: a batch's outcomes are
        // recorded together, with one time, so the span between sent events alone would leave out the first batch's sending
        double Span(string? channel)
        {
            var last = sent.Where(s => channel is null || s.Channel == channel).Select(s => s.At).DefaultIfEmpty().Max();
            var first = attempted.Where(s => channel is null || s.Channel == channel).Select(s => s.At).DefaultIfEmpty().Min();
            return last > first ? (last - first).TotalSeconds : double.NaN;
        }
        var seconds = Span(null);
        var delays = sent.Select(s => (s.At - dueAt).TotalSeconds).Order().ToList();
        var rate = sent.Count / seconds;
        var emailRate = emails / Span("email");
        var smsRate = texts / Span("sms");
        var ids = smtp.MessageIds();
        var mailed = ids.Count - mailBefore;
        var mailRepeats = ids.Count - ids.Distinct().Count();
        var smsRepeats = sms.Repeated - repeatedBefore;
        var texted = sms.Accepted - smsBefore;
        var ok = sent.Count == expected && mailed == emails && texted == texts && mailRepeats == 0 && smsRepeats == 0;
        var check = $"{(ok ? "correct" : "**WRONG**")}: {sent.Count:N0} sent of {expected:N0} ({string.Join(", ", statuses)}); smtp-sink stored {mailed:N0} ({mailRepeats} Message-IDs twice), the SMS stand-in accepted {texted:N0} ({smsRepeats} texts twice)";
        string PerOp(double a, double b) => $"{(b - a) * 1000 / Math.Max(1, sent.Count):N2}";
        var row = $"| {set}: {label} | {emails:N0} / {texts:N0} | {seconds:N1} | **{rate:N0}** | {emailRate:N0} | {smsRate:N0} | {BenchApi.Percentile(delays, 50):N1} / {BenchApi.Percentile(delays, 95):N1} / {delays.LastOrDefault():N1} | {PerOp(cpu0.Api, cpu1.Api)} ({PerOp(0, jit)}, {PerOp(0, gc)}) / {PerOp(cpu0.Pg, cpu1.Pg)} ({PerOp(0, autovacuum.CpuSeconds)}) / {PerOp(cpu0.Smtp, cpu1.Smtp)} | {(double)transactions / Math.Max(1, sent.Count):N1} | {machine} |";
        Log($"run {set}: {sent.Count:N0} sent in {seconds:N1} s = {rate:N0}/s (e-mail {emailRate:N0}/s, SMS {smsRate:N0}/s), p95 due-to-sent {BenchApi.Percentile(delays, 95):N1} s, machine busy / other processes {machine}; {check}");
        var buffers = $"{(double)(hit1 - hit0) / Math.Max(1, sent.Count):N0} buffer hits and {(double)(read1 - read0) / Math.Max(1, sent.Count):N1} reads per invitation; {autovacuumNote}; the API's resident memory {ApiMemory()}";
        Log($"run {set}: {buffers}");
        return new RunResult(row, check, ok, rate, emailRate, emails, buffers);
    }

    // the API's resident set now and its peak so far (VmRSS, VmHWM), in MB
    string ApiMemory()
    {
        var status = File.ReadAllLines($"/proc/{api.Pid}/status");
        string Mb(string key) => (long.Parse(status.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString("N0", CultureInfo.InvariantCulture);
        return $"{Mb("VmRSS:")} MB (peak {Mb("VmHWM:")} MB)";
    }

    // the whole machine's busy share of the window, and of it what no process of the bench's own (the API, PostgreSQL, smtp-sink,
    // this process with its SMS stand-in and MailKit loop) spent: other work on a shared machine, which makes rates meaningless
    static string MachineShare(Cpu.Sample before, Cpu.Sample after, double smtpSeconds)
    {
        var d = Cpu.Delta(before, after);
        if (d.MachineTotal <= 0) return "-";
        var other = d.MachineBusy - d.Api - d.Postgres - d.Self - d.Children - smtpSeconds;
        return $"{100 * d.MachineBusy / d.MachineTotal:N0}% / {100 * Math.Max(0, other) / d.MachineTotal:N0}%";
    }

    async Task<(int Sent, double Seconds, double SmtpCpuMs, string Machine)> BareLoop(string[] messages, bool reuseConnection)
    {
        var queue = new ConcurrentQueue<string>(messages);
        var sent = 0;
        var smtpCpu = BenchApi.CpuSeconds(smtp.Pid);
        var machine0 = new Cpu(api.Pid, postmaster).Take();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            using var client = new SmtpClient();
            while (queue.TryDequeue(out var file))
            {
                var message = await MimeMessage.LoadAsync(file);
                foreach (var added in SmtpSink.AddedHeaders) while (message.Headers.Contains(added)) message.Headers.Remove(added);
                if (!client.IsConnected)
                {
                    // the same socket the API's EmailSender opens: Nagle off (MailKit's own socket waits ~40 ms per message for delayed ACKs)
                    var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync("127.0.0.1", smtp.Port);
                    await client.ConnectAsync(socket, "127.0.0.1", smtp.Port, SecureSocketOptions.None);
                }
                await client.SendAsync(message);
                if (!reuseConnection) await client.DisconnectAsync(true);
                Interlocked.Increment(ref sent);
            }
            if (client.IsConnected) await client.DisconnectAsync(true);
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var smtpSpent = BenchApi.CpuSeconds(smtp.Pid) - smtpCpu;
        return (sent, seconds, smtpSpent * 1000 / Math.Max(1, sent), MachineShare(machine0, new Cpu(api.Pid, postmaster).Take(), smtpSpent));
    }
}
finally
{
    postgres.Stop();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null) try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}

static JsonObject Questionnaire() => new()
{
    ["title"] = new JsonObject { ["en"] = "After-service survey", ["zh-CN"] = "售后服务调查" },
    ["defaultLocale"] = "en",
    ["locales"] = new JsonArray("en", "zh-CN"),
    ["questions"] = new JsonArray(
        new JsonObject
        {
            ["id"] = "nps", ["type"] = "nps", ["required"] = true,
            ["text"] = new JsonObject { ["en"] = "How likely are you to recommend {dealer.name} to a friend?", ["zh-CN"] = "您向朋友推荐{dealer.name}的可能性有多大？" },
        },
        new JsonObject
        {
            ["id"] = "comment", ["type"] = "freeText",
            ["text"] = new JsonObject { ["en"] = "Anything else?", ["zh-CN"] = "还有其他意见吗？" },
        }),
};

internal sealed record RunResult(string Row, string Check, bool Ok, double Rate, double EmailRate, int Emails, string Autovacuum);
