namespace Survey.Domain.Operations;

/// <summary>A region of dealers (tenant &gt; region &gt; dealer).</summary>
public sealed record Region(string Code, LocalizedName Name, IReadOnlyList<ManagerContact> Managers);

/// <summary>An outlet: code, names in zh/en, its region and time zone (IANA, e.g. "Asia/Shanghai").</summary>
public sealed record Dealer(string Code, LocalizedName Name, string RegionCode, string TimeZone, string? City, IReadOnlyList<ManagerContact> Managers);

public sealed record LocalizedName(string Zh, string En)
{
    public string In(string locale) => locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Zh : En;
}

/// <param name="Language">Preferred language of reports and e-mails ("zh-CN" or "en"); none: the tenant's default.</param>
public sealed record ManagerContact(string Name, string Email, string? Role = null, string? Language = null);

public enum Channel { MiniProgram, Sms, Email }

/// <summary>Consent for one channel: given or withdrawn, when, and how (web form, counter, app...).</summary>
public sealed record Consent(Channel Channel, bool Given, DateTimeOffset At, string Source);

/// <summary>A customer as the operational systems know them; contact points are personal data.</summary>
public sealed record Customer(
    string ExternalId,
    string? Name,
    string? Email,
    string? Mobile,          // E.164, e.g. +8613812345678
    string? WeChatOpenId,
    IReadOnlyList<Consent> Consents,
    string? PreferredLanguage, // "zh-CN" | "en"
    string? TimeZone,          // IANA; falls back to the dealer's
    bool OptedOut = false)
{
    /// <summary>The latest consent decision for a channel (none = no consent).</summary>
    public bool HasConsent(Channel channel) =>
        Consents.Where(c => c.Channel == channel).OrderByDescending(c => c.At).FirstOrDefault() is { Given: true };

    public bool HasContactPoint(Channel channel) => channel switch
    {
        Channel.Email => !string.IsNullOrEmpty(Email),
        Channel.Sms => !string.IsNullOrEmpty(Mobile),
        Channel.MiniProgram => !string.IsNullOrEmpty(WeChatOpenId),
        _ => false,
    };
}

/// <summary>
/// Something that happened in an operational system: a type (touchpoint) such as "service.completed", the system's own id
/// (idempotency key), when it happened, who and where, and free attributes (vehicle model, advisor, amount...).
/// </summary>
public sealed record OperationalEvent(
    string ExternalId,
    string Type,
    DateTimeOffset OccurredAt,
    string CustomerExternalId,
    string? DealerCode,
    IReadOnlyDictionary<string, string> Attributes);
