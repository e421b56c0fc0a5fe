using System.Globalization;

namespace SaveLoad;

/// <summary>Command line: <c>--name value</c> pairs (see bench/run.sh and README "Benchmarks").</summary>
public sealed record Options(
    string ApiDll,
    string OutFile,
    int[] Clients,
    int JitWarmupSeconds,
    int JitWarmupMaxSeconds,
    int WarmupSeconds,
    int DurationSeconds,
    int SavesPerResponse,
    int PgBenchThreads,
    bool Probe,
    string ConnectionExtra,
    bool PgStatements,
    bool RawHttp,
    int? AutoExplainMs,
    bool Analyze,
    IReadOnlyDictionary<string, string> ApiEnvironment,
    IReadOnlyDictionary<string, string> PgSettings)
{
    public static Options Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var environment = new Dictionary<string, string>();
        var pgSettings = new Dictionary<string, string>();
        var flags = new HashSet<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            var name = args[i][2..];
            if (name == "api-env" && i + 1 < args.Length && args[i + 1].Split('=', 2) is [var key, var value]) { environment[key] = value; i++; }
            else if (name == "pg-set" && i + 1 < args.Length && args[i + 1].Split('=', 2) is [var setting, var to]) { pgSettings[setting] = to; i++; }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) values[name] = args[++i];
            else flags.Add(name);
        }
        string Get(string name, string fallback) => values.TryGetValue(name, out var v) ? v : fallback;
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new Options(
            ApiDll: Path.GetFullPath(values.TryGetValue("api-dll", out var dll) ? dll : throw new ArgumentException("--api-dll is required.")),
            OutFile: Path.GetFullPath(Get("out", "bench-results.md")),
            Clients: Get("clients", "8,32").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
            JitWarmupSeconds: Int("jit-warmup", 30),
            JitWarmupMaxSeconds: Int("jit-warmup-max", 180),
            WarmupSeconds: Int("warmup", 5),
            DurationSeconds: Int("duration", 20),
            SavesPerResponse: Int("saves-per-response", 5),
            PgBenchThreads: Int("pgbench-threads", 2),
            Probe: !flags.Contains("no-probe"),
            ConnectionExtra: Get("connection-extra", ""),
            PgStatements: flags.Contains("pg-statements"),
            // raw sockets by default (what pgbench's own client costs: 0.02-0.05 ms per request); --httpclient for .NET's HttpClient,
            // which costs the shared cores 0.14-0.19 ms per save at 8 clients (bench/experiments/floor). --raw-http is still accepted.
            RawHttp: !flags.Contains("httpclient"),
            Analyze: !flags.Contains("no-analyze"),
            AutoExplainMs: values.TryGetValue("auto-explain", out var ms) ? int.Parse(ms, CultureInfo.InvariantCulture) : null,
            ApiEnvironment: environment,
            PgSettings: pgSettings);
    }
}
