using System.Globalization;

namespace SaveLoad;

/// <summary>
/// CPU time from /proc, so a run can say where the two cores went: the API process, the PostgreSQL cluster (postmaster, its
/// live children, and the children it already reaped, such as pgbench's backends), this load generator, and its own children (pgbench).
/// </summary>
public sealed class Cpu(int apiPid, int postmasterPid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public readonly record struct Sample(double Api, double Postgres, double Self, double Children, double MachineBusy, double MachineTotal);

    public Sample Take()
    {
        var api = apiPid > 0 ? Seconds(apiPid, withChildren: false) : 0;
        var pg = Seconds(postmasterPid, withChildren: true);
        foreach (var (_, child) in Children(postmasterPid)) pg += (child.Utime + child.Stime) / TicksPerSecond;
        var self = Stat(Environment.ProcessId)!.Value;
        var (busy, total) = Machine();
        return new Sample(api, pg, (self.Utime + self.Stime) / TicksPerSecond, (self.Cutime + self.Cstime) / TicksPerSecond, busy, total);
    }

    /// <summary>The live children of a process (the postmaster's: PostgreSQL's backends and its own workers).</summary>
    public static IEnumerable<int> ChildrenOf(int parentPid) => Children(parentPid).Select(c => c.Pid);

    private static IEnumerable<(int Pid, ProcStat Stat)> Children(int parentPid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != parentPid && Stat(pid) is { } stat && stat.Ppid == parentPid)
                yield return (pid, stat);
    }

    private static double Seconds(int pid, bool withChildren)
    {
        var s = Stat(pid);
        if (s is null) return 0;
        var ticks = s.Value.Utime + s.Value.Stime + (withChildren ? s.Value.Cutime + s.Value.Cstime : 0);
        return ticks / TicksPerSecond;
    }

    private readonly record struct ProcStat(int Ppid, long Utime, long Stime, long Cutime, long Cstime);

    private static ProcStat? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        // "pid (comm) state ppid ..." - comm may hold spaces, so split after the last ')'
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long F(int n) => long.Parse(fields[n - 3], CultureInfo.InvariantCulture); // n = field number in proc(5)
        return new ProcStat((int)F(4), F(14), F(15), F(16), F(17));
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores) from /proc/stat.</summary>
    private static (double Busy, double Total) Machine()
    {
        var first = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var v = first.Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
        var total = v.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = v[3] + v[4];
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>
    /// CPU seconds of the API's threads by kind: the runtime's tiered-compilation thread (re-JITting hot methods, with PGO first
    /// into an instrumented tier), its GC threads, and all the rest (requests, the projection daemon, Hangfire, timers).
    /// Per thread id, because the tiering thread exits when idle for a while and a new one starts when there is work again.
    /// </summary>
    public sealed record ApiThreads(IReadOnlyDictionary<int, (bool Tiering, bool Gc, double Seconds)> Threads, double Process)
    {
        public (double Tiering, double Gc, double Other) Since(ApiThreads before)
        {
            double tiering = 0, gc = 0;
            foreach (var (tid, t) in Threads)
            {
                var spent = t.Seconds - (before.Threads.TryGetValue(tid, out var b) ? b.Seconds : 0);
                if (t.Tiering) tiering += spent;
                else if (t.Gc) gc += spent;
            }
            return (tiering, gc, Process - before.Process - tiering - gc);
        }
    }

    public ApiThreads TakeApiThreads()
    {
        var threads = new Dictionary<int, (bool, bool, double)>();
        List<string> tasks;
        try { tasks = Directory.EnumerateDirectories($"/proc/{apiPid}/task").ToList(); }
        catch (IOException) { return new ApiThreads(threads, 0); }
        foreach (var task in tasks)
        {
            string text;
            try { text = File.ReadAllText(Path.Combine(task, "stat")); }
            catch (IOException) { continue; }
            var comm = text[(text.IndexOf('(') + 1)..text.LastIndexOf(')')];
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] =
                (comm.StartsWith(".NET Tiered", StringComparison.Ordinal), comm.Contains("GC", StringComparison.Ordinal), seconds);
        }
        return new ApiThreads(threads, Seconds(apiPid, withChildren: false));
    }

    public static Sample Delta(Sample a, Sample b) =>
        new(b.Api - a.Api, b.Postgres - a.Postgres, b.Self - a.Self, b.Children - a.Children, b.MachineBusy - a.MachineBusy, b.MachineTotal - a.MachineTotal);
}
