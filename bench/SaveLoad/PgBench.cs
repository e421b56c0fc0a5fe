using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SaveLoad;

/// <summary>
/// pgbench against the same cluster: one transaction = one INSERT of a JSONB row as large as a save body, autocommit,
/// synchronous_commit as configured (on). Latencies come from pgbench's per-transaction log (--log), so p50/p99 are exact.
/// </summary>
public static partial class PgBench
{
    public const string Table = "bench_answers";

    public static string CreateTableSql =>
        $"create table if not exists {Table} (id bigserial primary key, response_id uuid not null, saved_at timestamptz not null default now(), data jsonb not null)";

    public sealed record Result(int Clients, double Tps, long Transactions, long Failed, double[] LatenciesMs, string Output);

    public static string WriteScript(string folder, byte[] row)
    {
        var json = System.Text.Encoding.UTF8.GetString(row).Replace("'", "''");
        var path = Path.Combine(folder, "insert_answer.sql");
        File.WriteAllText(path, $"insert into {Table} (response_id, data) values (gen_random_uuid(), '{json}'::jsonb);\n");
        return path;
    }

    public static string FindBinary(string postgresBin)
    {
        var next = Path.Combine(postgresBin, "pgbench");
        if (File.Exists(next)) return next;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(dir, "pgbench"))) return Path.Combine(dir, "pgbench");
        throw new InvalidOperationException("pgbench was not found (Debian: apt-get install postgresql-contrib or postgresql-client).");
    }

    public static async Task<Result> Run(string pgbench, int port, string database, string script, int clients, int threads, int seconds, string logFolder, bool log)
    {
        var prefix = Path.Combine(logFolder, $"pgbench_c{clients}");
        foreach (var old in Directory.GetFiles(logFolder, $"pgbench_c{clients}.*")) File.Delete(old);
        var args = new List<string>
        {
            "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-n", "-f", script,
            "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", threads.ToString(CultureInfo.InvariantCulture),
            "-T", seconds.ToString(CultureInfo.InvariantCulture),
        };
        if (log) args.AddRange(["--log", $"--log-prefix={prefix}"]);
        args.Add(database);

        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : pgbench)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = logFolder,
        };
        if (asRoot) foreach (var a in new[] { "-u", "postgres", "--", pgbench }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output}");

        var tps = double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var processed = long.Parse(Processed().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var failedMatch = Failed().Match(output);
        var failed = failedMatch.Success ? long.Parse(failedMatch.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var latencies = new List<double>((int)processed);
        if (log)
            foreach (var file in Directory.GetFiles(logFolder, $"pgbench_c{clients}.*"))
                foreach (var line in File.ReadLines(file))
                {
                    // client_id transaction_no time script_no time_epoch time_us [...]: time is the latency in microseconds
                    var fields = line.Split(' ');
                    if (fields.Length >= 3 && fields[2] != "failed" && fields[2] != "skipped")
                        latencies.Add(long.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0);
                }
        return new Result(clients, tps, processed, failed, latencies.ToArray(), output);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    private static partial Regex Processed();

    [GeneratedRegex(@"number of failed transactions: ([0-9]+)")]
    private static partial Regex Failed();
}
