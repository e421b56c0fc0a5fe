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
}
