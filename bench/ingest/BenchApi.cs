using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Bench;

/// <summary>What both bench commands (ingest, dispatch) need from the running API and the machine.</summary>
public static class BenchApi
{
    /// <summary>Signs in as an administrator (the API runs with Security:DevSignIn) and returns a client carrying the bearer token.</summary>
    public static async Task<HttpClient> Administrator(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };
        var signIn = await client.PostAsJsonAsync("/api/dev/sign-in", new { user = "bench", role = "administrator", tenant = "default" });
        var token = (await Expect(signIn)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A new ingestion key for the tenant: the value of <c>Authorization: ApiKey …</c>.</summary>
    public static async Task<string> NewApiKey(HttpClient admin) =>
        (await Expect(await admin.PostAsJsonAsync("/api/api-keys", new { name = "bench" }))).GetProperty("key").GetString()!;

    public static async Task<JsonElement> Expect(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Resident set size of a process in MB (VmRSS), or 0 when it is gone.</summary>
    public static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return 0;
    }

    /// <summary>User + system CPU seconds a process has used so far (from /proc/PID/stat, in clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { return 0; }
    }

    /// <summary>
    /// CPU seconds used by all PostgreSQL processes of the cluster whose postmaster has this pid: its own, its live children's
    /// (backends, walwriter...) and those of children that have exited (cutime + cstime, counted when the postmaster reaps them).
    /// </summary>
    public static double PostgresCpuSeconds(int postmasterPid)
    {
        var total = CpuSeconds(postmasterPid);
        try
        {
            var own = File.ReadAllText($"/proc/{postmasterPid}/stat");
            var ownFields = own[(own.LastIndexOf(')') + 2)..].Split(' ');
            total += (long.Parse(ownFields[13], CultureInfo.InvariantCulture) + long.Parse(ownFields[14], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException) { }
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmasterPid) total += CpuSeconds(pid);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>CPU seconds of each thread of a process whose name starts with <paramref name="prefix"/>, by thread id.</summary>
    public static Dictionary<int, double> ThreadCpuSeconds(int pid, string prefix)
    {
        var threads = new Dictionary<int, double>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    if (!stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')].StartsWith(prefix, StringComparison.Ordinal)) continue;
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                        (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
                }
                catch (IOException) { }
            }
        }
        catch (IOException) { }
        return threads;
    }
}

/// <summary>
/// CPU the API's tiered-compilation thread (the JIT compiling hot methods again, optimised) spends over a window: how much of
/// a path's CPU per event is warm-up rather than steady state. Sampled every 200 ms, since the runtime ends that thread when it
/// has been idle for a while and a thread's time is then no longer listed (what it spent after its last sample is missed).
/// </summary>
public sealed class TieringCpu
{
    private readonly int _pid;
    private readonly Dictionary<int, double> _start, _last;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public TieringCpu(int pid)
    {
        _pid = pid;
        _start = BenchApi.ThreadCpuSeconds(pid, ".NET Tiered");
        _last = new Dictionary<int, double>(_start);
        _sampling = Sample();
    }

    private void Take()
    {
        lock (_last)
            foreach (var (thread, seconds) in BenchApi.ThreadCpuSeconds(_pid, ".NET Tiered")) _last[thread] = seconds;
    }

    private async Task Sample()
    {
        while (!_stop.IsCancellationRequested)
        {
            Take();
            try { await Task.Delay(200, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Ends the window: the tiering threads' CPU seconds since it began.</summary>
    public async Task<double> Stop()
    {
        _stop.Cancel();
        await _sampling;
        Take();
        lock (_last) return _last.Sum(t => t.Value - _start.GetValueOrDefault(t.Key));
    }
}
