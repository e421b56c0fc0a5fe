using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DispatchBench;

/// <summary>
/// Postfix's <c>smtp-sink</c> in its own process: a C test server that accepts every message (PIPELINING, no queue) and dumps each
/// one to a file of its own (<c>-d</c>), so the messages can be counted and checked for duplicates. It costs a few microseconds of
/// CPU per message, where aiosmtpd (Python) spent 3.7 ms and capped any sender at about 100 messages/s on two cores.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly Process _process;
    public string DumpDir { get; }
    public int Port { get; }

    private SmtpSink(Process process, string dumpDir, int port) => (_process, DumpDir, Port) = (process, dumpDir, port);

    public int Pid => _process.Id;

    /// <param name="executable"><c>/usr/sbin/smtp-sink</c>, or one extracted from Debian's postfix package (<c>.../usr/sbin/smtp-sink</c>, its libraries in <c>.../usr/lib/postfix</c>).</param>
    public static async Task<SmtpSink> Start(string executable, string dumpDir)
    {
        Directory.CreateDirectory(dumpDir);
        var root = Environment.UserName == "root";
        if (root && !OperatingSystem.IsWindows()) File.SetUnixFileMode(dumpDir, (UnixFileMode)0b111_111_111); // smtp-sink refuses to run as root: it runs as nobody
        var port = FreePort();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        if (root) { start.ArgumentList.Add("-u"); start.ArgumentList.Add("nobody"); }
        // one file per message, named by the second it arrived and a random suffix; 256 = listen backlog
        foreach (var arg in new[] { "-d", Path.Combine(dumpDir, "%H%M%S."), $"127.0.0.1:{port}", "256" }) start.ArgumentList.Add(arg);
        var libraries = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(executable)!, "..", "lib", "postfix"));
        if (Directory.Exists(libraries)) start.Environment["LD_LIBRARY_PATH"] = libraries;
        var process = Process.Start(start)!;
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"smtp-sink exited with {process.ExitCode}.");
            try { using var probe = new TcpClient(); await probe.ConnectAsync(IPAddress.Loopback, port); break; }
            catch (SocketException) when (DateTime.UtcNow < until) { await Task.Delay(200); }
        }
        return new SmtpSink(process, dumpDir, port);
    }

    /// <summary>The stored messages' files.</summary>
    public string[] Files() => Directory.GetFiles(DumpDir);

    /// <summary>The Message-ID of every stored message (one per file; the header block only is read).</summary>
    public List<string> MessageIds()
    {
        var ids = new List<string>();
        foreach (var file in Files())
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length == 0) break;
                if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)) { ids.Add(line[11..].Trim()); break; }
            }
        return ids;
    }

    /// <summary>Headers smtp-sink adds in front of what it received.</summary>
    public static readonly string[] AddedHeaders = ["X-Client-Addr", "X-Client-Proto", "X-Helo-Args", "X-Mail-Args", "X-Rcpt-Args", "Received"];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// A minimal stand-in for Twilio's Messages API (Kestrel on 127.0.0.1): <c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>
/// with basic auth and the form fields To, From, Body; answers 201 with the documented Message resource. Counts what it accepted,
/// and how many of those repeated a message it had already been given (each invitation's text carries its own short link).
/// </summary>
public sealed class SmsStandIn : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000bench";
    public const string AuthToken = "bench-auth-token";
    private readonly WebApplication _app;
    private long _accepted, _refused, _repeated;
    private readonly ConcurrentDictionary<string, byte> _bodies = new();

    private SmsStandIn(WebApplication app, Uri baseAddress) => (_app, BaseAddress) = (app, baseAddress);

    public Uri BaseAddress { get; }
    public long Accepted => Interlocked.Read(ref _accepted);
    public long Refused => Interlocked.Read(ref _refused);
    public long Repeated => Interlocked.Read(ref _repeated);

    public static async Task<SmsStandIn> Start()
    {
        var port = SmtpSink.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SmsStandIn(app, new Uri($"http://127.0.0.1:{port}"));
        var auth = "Basic " + Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{AccountSid}:{AuthToken}"));
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            if (sid != AccountSid || context.Request.Headers.Authorization != auth || string.IsNullOrEmpty(form["To"]) || string.IsNullOrEmpty(form["Body"])
                || (string.IsNullOrEmpty(form["From"]) && string.IsNullOrEmpty(form["MessagingServiceSid"])))
            {
                Interlocked.Increment(ref standIn._refused);
                return Results.Json(new { code = 20003, message = "Authenticate", more_info = "https://www.twilio.com/docs/errors/20003", status = 401 }, statusCode: 401);
            }
            Interlocked.Increment(ref standIn._accepted);
            if (!standIn._bodies.TryAdd(form["Body"].ToString(), 0)) Interlocked.Increment(ref standIn._repeated);
            var messageSid = "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture);
            return Results.Json(new Dictionary<string, object?>
            {
                ["account_sid"] = AccountSid, ["api_version"] = "2010-04-01", ["body"] = form["Body"].ToString(), ["date_created"] = now, ["date_sent"] = null,
                ["date_updated"] = now, ["direction"] = "outbound-api", ["error_code"] = null, ["error_message"] = null, ["from"] = form["From"].ToString(),
                ["messaging_service_sid"] = null, ["num_media"] = "0", ["num_segments"] = "1", ["price"] = null, ["price_unit"] = "USD", ["sid"] = messageSid,
                ["status"] = "queued", ["subresource_uris"] = new Dictionary<string, string> { ["media"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}/Media.json" },
                ["to"] = form["To"].ToString(), ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{messageSid}.json",
            }, (JsonSerializerOptions?)null, statusCode: 201);
        });
        await app.StartAsync();
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// What PostgreSQL's autovacuum did during a run, so that its share of the cluster's CPU can be told apart from the dispatch's:
/// the tables it vacuumed or analyzed (counters of pg_stat_user_tables, which catch even short passes) and the CPU of its workers,
/// sampled once a second from /proc and attributed to the table each worker was busy with (pg_stat_activity). A worker's CPU
/// after its last sample is missed, so the CPU is a lower bound.
/// </summary>
public sealed class AutovacuumWatch
{
    private readonly Npgsql.NpgsqlDataSource _db;
    private readonly Dictionary<string, (long Vacuums, long Analyzes)> _counters;
    private readonly Dictionary<int, double> _seen = [];
    private readonly Dictionary<string, double> _cpu = [];

    private AutovacuumWatch(Npgsql.NpgsqlDataSource db, Dictionary<string, (long, long)> counters) => (_db, _counters) = (db, counters);

    public static async Task<AutovacuumWatch> Start(Npgsql.NpgsqlDataSource db)
    {
        var watch = new AutovacuumWatch(db, await Counters(db));
        await watch.Sample(baseline: true);
        return watch;
    }

    private static async Task<Dictionary<string, (long, long)>> Counters(Npgsql.NpgsqlDataSource db)
    {
        var counters = new Dictionary<string, (long, long)>();
        await using var c = db.CreateCommand("select relname, autovacuum_count, autoanalyze_count from pg_stat_user_tables where schemaname = 'survey'");
        await using var r = await c.ExecuteReaderAsync();
        while (await r.ReadAsync()) counters[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        return counters;
    }

    /// <summary>Reads the workers' CPU now; the first call (at the start of the run) only takes the baseline.</summary>
    public async Task Sample(bool baseline = false)
    {
        await using var c = _db.CreateCommand("select pid, query from pg_stat_activity where backend_type = 'autovacuum worker'");
        await using var r = await c.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            var pid = r.GetInt32(0);
            var what = r.IsDBNull(1) ? "?" : System.Text.RegularExpressions.Regex.Replace(r.GetString(1), @"^autovacuum: | \(to prevent wraparound\)$", "");
            var seconds = Bench.BenchApi.CpuSeconds(pid);
            // a worker first seen after the start began during the run: all of its CPU belongs to it
            var before = _seen.TryGetValue(pid, out var last) ? last : baseline ? seconds : 0;
            _seen[pid] = seconds;
            if (!baseline && what.Length > 0) _cpu[what] = _cpu.GetValueOrDefault(what) + Math.Max(0, seconds - before);
        }
    }

    public double CpuSeconds => _cpu.Values.Sum();

    /// <summary>E.g. "invitation_due vacuumed 1x and analyzed 1x; worker CPU seen 2.9 s (VACUUM survey.invitation_due 2.7 s, ...)".</summary>
    public async Task<string> Summary()
    {
        await Sample();
        var after = await Counters(_db);
        var passes = after
            .Select(t => (Table: t.Key, Vacuums: t.Value.Item1 - _counters.GetValueOrDefault(t.Key).Vacuums, Analyzes: t.Value.Item2 - _counters.GetValueOrDefault(t.Key).Analyzes))
            .Where(t => t.Vacuums + t.Analyzes > 0).OrderBy(t => t.Table)
            .Select(t => $"{t.Table} {string.Join(" and ", new[] { t.Vacuums > 0 ? $"vacuumed {t.Vacuums}x" : null, t.Analyzes > 0 ? $"analyzed {t.Analyzes}x" : null }.OfType<string>())}")
            .ToList();
        var cpu = _cpu.Where(c => c.Value >= 0.05).OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N1} s");
        return passes.Count == 0 && _cpu.Count == 0 ? "no autovacuum"
            : $"{(passes.Count > 0 ? string.Join(", ", passes) : "no pass finished")}; its workers' CPU seen: {CpuSeconds:N1} s ({string.Join(", ", cpu)})";
    }
}
