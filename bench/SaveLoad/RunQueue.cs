using System.Globalization;

namespace SaveLoad;

/// <summary>
/// How long threads were runnable but not running (waiting for a core) and how often they were switched in, from
/// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c> (run time, run-queue wait, time slices, in ns): per save, the latency a save
/// pays because the machine's two cores are shared between the API, PostgreSQL and the load generator, whatever the CPU it
/// costs. Per thread, so threads that start during a window count from zero; threads that end in it are lost (the save
/// writers' backends and the API's threads live through the window; the load generator's client threads do not, so it is not counted).
/// </summary>
public sealed class RunQueue(int apiPid, int postmasterPid)
{
    public readonly record struct Group(double WaitSeconds, long Switches)
    {
        public double MicrosecondsPerSwitch => Switches == 0 ? 0 : 1e6 * WaitSeconds / Switches;
    }

    public sealed record Snapshot(IReadOnlyDictionary<(string Group, int Tid), (long WaitNs, long Slices)> Threads)
    {
        public IReadOnlyDictionary<string, Group> Since(Snapshot before) =>
            Threads.GroupBy(t => t.Key.Group).ToDictionary(g => g.Key, g =>
            {
                long wait = 0, slices = 0;
                foreach (var (key, now) in g)
                {
                    var then = before.Threads.TryGetValue(key, out var b) ? b : (0, 0);
                    wait += now.WaitNs - then.WaitNs;
                    slices += now.Slices - then.Slices;
                }
                return new Group(wait / 1e9, slices);
            });
    }

    public Snapshot Take()
    {
        var threads = new Dictionary<(string, int), (long, long)>();
        if (apiPid > 0) Add(threads, "API", apiPid);
        Add(threads, "PostgreSQL", postmasterPid);
        foreach (var pid in Cpu.ChildrenOf(postmasterPid)) Add(threads, "PostgreSQL", pid);
        return new Snapshot(threads);
    }

    private static void Add(Dictionary<(string, int), (long, long)> threads, string group, int pid)
    {
        IEnumerable<string> tasks;
        try { tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var task in tasks)
        {
            try
            {
                var f = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                threads[(group, int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))] =
                    (long.Parse(f[1], CultureInfo.InvariantCulture), long.Parse(f[2], CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { }
        }
    }
}
