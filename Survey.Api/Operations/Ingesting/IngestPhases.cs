using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Survey.Api.Operations.Ingesting;

/// <summary>
/// Where ingestion spends its time, per phase, for bench/ingest (<c>SURVEY_INGEST_PHASES=1</c>; off otherwise, then a span
/// costs one branch). A span records the CPU time of its thread (exact for a synchronous phase) and its wall time (what an
/// await on PostgreSQL costs the caller). The totals are printed to stdout every 10,000 stored events and at the end of a CSV
/// import, as one line starting with <c>ingest-phases</c>.
/// </summary>
public static class IngestPhases
{
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("SURVEY_INGEST_PHASES") == "1";
    private static readonly ConcurrentDictionary<string, Totals> All = new();
    private static long _events, _printedAt;

    private sealed class Totals
    {
        public long CpuNs, WallTicks, Count, Hopped;
    }

    public static Span Measure(string phase) => Enabled ? new Span(phase, ThreadCpuNs(), Stopwatch.GetTimestamp(), Environment.CurrentManagedThreadId) : default;

    public readonly struct Span(string? phase, long cpu, long wall, int thread) : IDisposable
    {
        public void Dispose()
        {
            if (phase is null) return;
            var totals = All.GetOrAdd(phase, _ => new Totals());
            if (Environment.CurrentManagedThreadId == thread) Interlocked.Add(ref totals.CpuNs, ThreadCpuNs() - cpu);
            else Interlocked.Increment(ref totals.Hopped);
            Interlocked.Add(ref totals.WallTicks, Stopwatch.GetTimestamp() - wall);
            Interlocked.Increment(ref totals.Count);
        }
    }

    /// <summary>Counts stored events; prints the totals every 10,000.</summary>
    public static void Stored(int events)
    {
        if (!Enabled) return;
        var total = Interlocked.Add(ref _events, events);
        if (total - Interlocked.Read(ref _printedAt) >= 2_000) { Interlocked.Exchange(ref _printedAt, total); Print("running"); }
    }

    public static void Print(string label)
    {
        if (!Enabled) return;
        var line = new StringBuilder($"ingest-phases {label} events={Interlocked.Read(ref _events)}");
        foreach (var (phase, t) in All.OrderBy(p => p.Key))
            line.Append(t.Hopped > 0
                ? $" | {phase}: wall {Stopwatch.GetElapsedTime(0, t.WallTicks).TotalMilliseconds:F0} ms, n {t.Count}"
                : $" | {phase}: cpu {t.CpuNs / 1e6:F0} ms, wall {Stopwatch.GetElapsedTime(0, t.WallTicks).TotalMilliseconds:F0} ms, n {t.Count}");
        Console.WriteLine(line);
    }

    public static void Reset()
    {
        All.Clear();
        Interlocked.Exchange(ref _events, 0);
        Interlocked.Exchange(ref _printedAt, 0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static long ThreadCpuNs()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        ClockGetTime(3 /* CLOCK_THREAD_CPUTIME_ID */, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}
