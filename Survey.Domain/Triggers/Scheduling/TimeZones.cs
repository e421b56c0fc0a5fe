namespace Survey.Domain.Triggers.Scheduling;

/// <summary>Which zone a send window is read in, and where it came from ("customer", "dealer", "tenant" or "utc").</summary>
public sealed record ResolvedZone(TimeZoneInfo Zone, string Source);

public static class TimeZones
{
    /// <summary>The customer's zone, else the dealer's, else the tenant's (IANA ids); unknown ids are passed over; UTC as a last resort.</summary>
    public static ResolvedZone Resolve(string? customerZone, string? dealerZone, string? tenantZone)
    {
        foreach (var (id, source) in new[] { (customerZone, "customer"), (dealerZone, "dealer"), (tenantZone, "tenant") })
            if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone))
                return new ResolvedZone(zone, source);
        return new ResolvedZone(TimeZoneInfo.Utc, "utc");
    }
}
