namespace Survey.Domain.Analytics.Drivers;

/// <summary>Where a driver sits in the importance × performance matrix.</summary>
public enum DriverQuadrant
{
    /// <summary>High importance, low performance: where improvement moves NPS most.</summary>
    FixFirst,
    /// <summary>High importance, high performance: a strength to keep.</summary>
    Maintain,
    /// <summary>Low importance, high performance: fine as it is; watch that effort here is not overspent.</summary>
    Monitor,
    /// <summary>Low importance, low performance: weak, but matters little to recommendation.</summary>
    LowerPriority,
}

/// <summary>
/// Splits drivers into quadrants at the medians of importance and of performance across the drivers analysed. A driver exactly at a
/// median counts as high, so with an odd number of drivers the median driver is high on that axis.
/// </summary>
public static class PriorityMatrix
{
    public static string Label(this DriverQuadrant quadrant) => quadrant switch
    {
        DriverQuadrant.FixFirst => "fix first",
        DriverQuadrant.Maintain => "maintain",
        DriverQuadrant.Monitor => "monitor",
        DriverQuadrant.LowerPriority => "lower priority",
        _ => quadrant.ToString(),
    };

    public static DriverQuadrant Quadrant(bool highImportance, bool highPerformance) => (highImportance, highPerformance) switch
    {
        (true, false) => DriverQuadrant.FixFirst,
        (true, true) => DriverQuadrant.Maintain,
        (false, true) => DriverQuadrant.Monitor,
        _ => DriverQuadrant.LowerPriority,
    };

    /// <summary>The quadrant of each (importance, performance) pair, in order.</summary>
    public static IReadOnlyList<DriverQuadrant> Classify(IReadOnlyList<(double Importance, double Performance)> drivers)
    {
        if (drivers.Count == 0) return [];
        var importanceMedian = Median(drivers.Select(d => d.Importance));
        var performanceMedian = Median(drivers.Select(d => d.Performance));
        return drivers.Select(d => Quadrant(d.Importance >= importanceMedian, d.Performance >= performanceMedian)).ToList();
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("The median of nothing is undefined.", nameof(values));
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
