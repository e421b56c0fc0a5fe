using Survey.Domain.Operations;

namespace Survey.Domain.Triggers.Firing;

/// <summary>A channel passed over, and why: <c>no-consent</c>, <c>consent-withdrawn</c> or <c>no-contact-point</c>.</summary>
public sealed record SkippedChannel(Channel Channel, string Reason);

/// <summary>
/// The channel to use (null: none is usable), the channels passed over on the way with their reasons, and every usable channel
/// from the chosen one on, in order (what the sender falls back through).
/// </summary>
public sealed record ChannelChoice(Channel? First, IReadOnlyList<SkippedChannel> Skipped)
{
    public IReadOnlyList<Channel> Usable { get; init; } = [];
}

/// <summary>
/// Picks the first channel of a trigger's order that may be used for a customer: the latest consent decision for it is
/// "given" and the customer has the contact point (mini-program open id, mobile number, e-mail address).
/// </summary>
public static class ChannelSelection
{
    public const string NoConsent = "no-consent";
    public const string ConsentWithdrawn = "consent-withdrawn";
    public const string NoContactPoint = "no-contact-point";

    public static ChannelChoice Choose(IReadOnlyList<Channel> order, Customer customer) => From(order.Distinct(), customer);

    /// <summary>Fallback after <paramref name="after"/> failed for good: the next usable channel later in the order.</summary>
    public static ChannelChoice Next(IReadOnlyList<Channel> order, Customer customer, Channel after)
    {
        var distinct = order.Distinct().ToList();
        var at = distinct.IndexOf(after);
        if (at < 0) throw new ArgumentException($"{after} is not in the channel order [{string.Join(", ", distinct)}].", nameof(after));
        return From(distinct.Skip(at + 1), customer);
    }

    /// <summary>Why a channel cannot be used for the customer, or null when it can.</summary>
    public static string? Unusable(Channel channel, Customer customer)
    {
        if (!customer.HasConsent(channel))
            return customer.Consents.Any(c => c.Channel == channel) ? ConsentWithdrawn : NoConsent;
        return customer.HasContactPoint(channel) ? null : NoContactPoint;
    }

    private static ChannelChoice From(IEnumerable<Channel> candidates, Customer customer)
    {
        var skipped = new List<SkippedChannel>();
        var usable = new List<Channel>();
        foreach (var channel in candidates)
        {
            if (Unusable(channel, customer) is { } reason)
            {
                if (usable.Count == 0) skipped.Add(new(channel, reason));
            }
            else usable.Add(channel);
        }
        return new ChannelChoice(usable.Count > 0 ? usable[0] : null, skipped) { Usable = usable };
    }
}
