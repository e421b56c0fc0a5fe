using System.Diagnostics;
using System.Globalization;
using System.Text;

/// <summary>
/// Loaded by the runtime before the API's Main when DOTNET_STARTUP_HOOKS names this assembly (bench/run.sh does so only for the
/// round-trip analysis). For every HTTP request it writes one line to $PROBE_OUT: route, status, total time, and each Npgsql
/// command executed inside it (an Npgsql command or batch is one round trip to PostgreSQL) with its time and SQL.
/// </summary>
internal static class StartupHook
{
    public static void Initialize() => Probe.RequestTrace.Start(Environment.GetEnvironmentVariable("PROBE_OUT"));
}

namespace Probe
{
    internal static class RequestTrace
    {
        private const string RequestActivity = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
        private const string Key = "probe.commands";
        private static readonly Lock Gate = new();
        private static StreamWriter? _out;

        public static void Start(string? path)
        {
            if (string.IsNullOrEmpty(path)) return;
            _out = new StreamWriter(path, append: false, Encoding.UTF8) { AutoFlush = true };
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = a =>
                {
                    if (a.OperationName == RequestActivity) a.SetCustomProperty(Key, new List<string>());
                },
                ActivityStopped = Stopped,
            };
            ActivitySource.AddActivityListener(listener);
            // the request's method and path (and status) come from the hosting diagnostic events, which carry the HttpContext
            DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(l =>
            {
                if (l.Name == "Microsoft.AspNetCore")
                    l.Subscribe(new Observer<KeyValuePair<string, object?>>(Hosting), name => name.StartsWith(RequestActivity, StringComparison.Ordinal));
            }));
        }

        private static void Hosting(KeyValuePair<string, object?> e)
        {
            if (Activity.Current is not { OperationName: RequestActivity } activity || e.Value is null) return;
            var request = e.Value.GetType().GetProperty("Request")?.GetValue(e.Value);
            var response = e.Value.GetType().GetProperty("Response")?.GetValue(e.Value);
            if (e.Key.EndsWith(".Start", StringComparison.Ordinal) && request is not null)
                activity.SetCustomProperty("probe.route",
                    $"{request.GetType().GetProperty("Method")?.GetValue(request)} {request.GetType().GetProperty("Path")?.GetValue(request)}");
            else if (e.Key.EndsWith(".Stop", StringComparison.Ordinal) && response is not null)
                activity.SetCustomProperty("probe.status", response.GetType().GetProperty("StatusCode")?.GetValue(response));
        }

        private sealed class Observer<T>(Action<T> next) : IObserver<T>
        {
            public void OnCompleted() { }
            public void OnError(Exception error) { }
            public void OnNext(T value) => next(value);
        }

        private static void Stopped(Activity a)
        {
            if (a.OperationName == RequestActivity)
            {
                if (a.GetCustomProperty(Key) is not List<string> commands) return;
                var route = a.GetCustomProperty("probe.route") ?? a.GetTagItem("http.route") ?? a.DisplayName;
                var status = a.GetCustomProperty("probe.status") ?? a.GetTagItem("http.response.status_code");
                var line = new StringBuilder()
                    .Append(CultureInfo.InvariantCulture, $"{route}\t{status}\t{a.Duration.TotalMilliseconds:F3}\t{commands.Count}");
                lock (commands)
                    foreach (var c in commands) line.Append('\t').Append(c);
                lock (Gate) _out!.WriteLine(line.ToString());
                return;
            }
            // an Npgsql activity: attribute it to the HTTP request it ran in
            for (var p = a.Parent; p is not null; p = p.Parent)
            {
                if (p.OperationName != RequestActivity) continue;
                if (p.GetCustomProperty(Key) is not List<string> commands) return;
                var sql = (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement"))?.ToString() ?? a.DisplayName;
                sql = sql.ReplaceLineEndings(" ").Replace('\t', ' ');
                lock (commands) commands.Add(string.Create(CultureInfo.InvariantCulture, $"{a.Duration.TotalMilliseconds:F3}ms {a.DisplayName} :: {sql}"));
                return;
            }
        }
    }
}
