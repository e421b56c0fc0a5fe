namespace Survey.Domain.Analytics.Metrics;

/// <summary>A share such as 42 of 120, with its percentage.</summary>
public sealed record Rate(int Count, int OutOf)
{
    public double Percent => 100.0 * Count / OutOf;
}

public static class Rates
{
    /// <summary>
    /// Completed responses per delivered invitation. Count the completed responses that came from those invitations: an invitation
    /// that was answered was evidently delivered, so it belongs in <paramref name="delivered"/> even when no delivery receipt came.
    /// </summary>
    public static Reported<Rate> Response(int completed, int delivered) => Of(completed, delivered, "completed responses", "delivered invitations");

    /// <summary>Completed responses per started response (partial responses count as started).</summary>
    public static Reported<Rate> Completion(int completed, int started) => Of(completed, started, "completed responses", "started responses");

    private static Reported<Rate> Of(int count, int outOf, string what, string ofWhat)
    {
        if (count < 0 || outOf < 0) throw new ArgumentOutOfRangeException(nameof(count), "Counts cannot be negative.");
        if (count > outOf) throw new ArgumentException($"{count} {what} cannot come from {outOf} {ofWhat}.", nameof(count));
        return outOf == 0 ? Reported.NoData<Rate>($"No {ofWhat}.") : Reported.Shown(new Rate(count, outOf));
    }
}
