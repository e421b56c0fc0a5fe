namespace Survey.Domain.Triggers.Firing;

/// <summary>Why a customer was not asked although a trigger's event happened.</summary>
public enum SuppressionReason
{
    /// <summary>The customer opted out of all surveys.</summary>
    OptedOut,
    /// <summary>The customer has an open case; asking again before it is resolved feels careless.</summary>
    OpenCase,
    /// <summary>The customer was invited (by any trigger) within the tenant's fatigue period.</summary>
    RecentlyInvited,
    /// <summary>No channel of the trigger's order has both consent and a contact point.</summary>
    NoUsableChannel,
    /// <summary>The event happened before the trigger's active period began or after it ended.</summary>
    OutsideActivePeriod,
    /// <summary>The trigger is paused.</summary>
    Paused,
    /// <summary>The trigger samples a share of events and this one was not drawn.</summary>
    SampledOut,
    /// <summary>The event arrived so late that the invitation would already have expired.</summary>
    TooLate,
}

/// <summary>A reason and the details a marketer needs to understand it, e.g. when the previous invitation was.</summary>
public sealed record Suppression(SuppressionReason Reason, string Detail)
{
    /// <summary>Stable code, e.g. <c>recently-invited</c>.</summary>
    public string Code => Reason switch
    {
        SuppressionReason.OptedOut => "opted-out",
        SuppressionReason.OpenCase => "open-case",
        SuppressionReason.RecentlyInvited => "recently-invited",
        SuppressionReason.NoUsableChannel => "no-usable-channel",
        SuppressionReason.OutsideActivePeriod => "outside-active-period",
        SuppressionReason.Paused => "paused",
        SuppressionReason.SampledOut => "sampled-out",
        SuppressionReason.TooLate => "too-late",
        _ => Reason.ToString(),
    };

    public override string ToString() => $"{Code}: {Detail}";
}
