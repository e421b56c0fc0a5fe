using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AnalyticsBench;

/// <summary>The real API (Release build) in its own process on 127.0.0.1, pointed at the benchmark's PostgreSQL cluster.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ApiProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    public static async Task<ApiProcess> Start(string apiDll, string connectionString, string logFile, IDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet")
        {
            // its own folder, as when deployed: the content root, where appsettings.json (logging levels...) is read from
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     apiDll, "--urls", url, $"--ConnectionStrings:Postgres={connectionString}",
                     // the public endpoints limit each IP to 600 requests a minute and each response to 300: a load generator on one
                     // IP would measure the limiter, not the save path. The limiter itself stays in the pipeline.
                     "--Respondents:RequestsPerMinutePerIp=1000000000", "--Respondents:RequestsPerMinutePerKey=1000000000",
                 })
            start.ArgumentList.Add(a);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, log, new Uri(url));

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited with code {process.ExitCode}; see {logFile}.");
            try
            {
                var health = await probe.GetAsync(new Uri(api.BaseAddress, "/health"));
                if (health.StatusCode == HttpStatusCode.OK) return api;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"The API did not become healthy in 120 s; see {logFile}.");
            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
