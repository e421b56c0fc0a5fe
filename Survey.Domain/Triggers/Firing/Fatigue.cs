using System.Globalization;
using Survey.Domain.Operations;

namespace Survey.Domain.Triggers.Firing;

/// <summary>
/// A tenant's contact rules across all triggers: at most one invitation per customer every
/// <paramref name="OneInvitationPerDays"/> days (null or 0: no limit), and none while the customer has an open case.
/// </summary>
public sealed record FatigueRules(int? OneInvitationPerDays = 30, bool NotWhileCaseOpen = true);

/// <summary>What is known about the customer's recent contact: times of invitations sent (or scheduled), and whether a case is open.</summary>
public sealed record CustomerContactHistory(IReadOnlyCollection<DateTimeOffset> RecentInvitations, bool HasOpenCase = false)
{
    public static readonly CustomerContactHistory None = new([], false);
}

public static class Fatigue
{
    /// <summary>
    /// Why the customer may not be invited now, or null. An invitation exactly N days ago no longer counts; invitations scheduled
    /// but not sent yet count from their due time (which may lie ahead of <paramref name="now"/>).
    /// </summary>
    public static Suppression? Check(FatigueRules rules, Customer customer, IReadOnlyCollection<DateTimeOffset> recentInvitations, bool hasOpenCase, DateTimeOffset now)
    {
        if (customer.OptedOut)
            return new(SuppressionReason.OptedOut, "The customer opted out of all surveys.");
        if (rules.NotWhileCaseOpen && hasOpenCase)
            return new(SuppressionReason.OpenCase, "The customer has an open case; no survey until it is resolved.");
        if (rules.OneInvitationPerDays is int days && days > 0)
        {
            var period = TimeSpan.FromDays(days);
            var latest = recentInvitations.Where(at => now - at < period).Cast<DateTimeOffset?>().Max();
            if (latest is { } last)
                return new(SuppressionReason.RecentlyInvited,
                    $"Invited {Utc(last)}; at most one invitation every {days} days, so not before {Utc(last + period)}.");
        }
        return null;
    }

    public static Suppression? Check(FatigueRules rules, Customer customer, CustomerContactHistory history, DateTimeOffset now) =>
        Check(rules, customer, history.RecentInvitations, history.HasOpenCase, now);

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
