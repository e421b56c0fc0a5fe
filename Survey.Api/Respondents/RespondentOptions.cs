namespace Survey.Api.Respondents;

/// <summary>Bound from the <c>Respondents</c> section.</summary>
public sealed class RespondentOptions
{
    /// <summary>
    /// Base64 key (32+ bytes) that signs invitation tokens. Without one, a random key is made once and kept in the database,
    /// so every node signs and checks with the same key. Set it explicitly in production and rotate through configuration.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>How long an invitation stays open when the sender does not say.</summary>
    public TimeSpan DefaultInvitationLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>A started response with no activity for this long is recorded as abandoned (it still counts as partial).</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Requests per minute to the public endpoints from one IP address.</summary>
    public int RequestsPerMinutePerIp { get; set; } = 600;

    /// <summary>Requests per minute to the public endpoints for one survey address (token, link, widget key or response).</summary>
    public int RequestsPerMinutePerKey { get; set; } = 300;

    /// <summary>
    /// Most client IPs, and most survey addresses, whose windows a node keeps at once (about 200 bytes each). When every one
    /// is inside its minute, requests from a new IP or for a new address get 429 until windows end.
    /// </summary>
    public int RateLimitEntries { get; set; } = 100_000;

    /// <summary>Largest request body the public endpoints accept.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Base URL put in front of /s/{token} in invitation links (defaults to the request's own origin).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The brand name invitations are sent in (defaults to the questionnaire's title).</summary>
    public string? SenderName { get; set; }

    /// <summary>WeChat subscribe-message template used for mini-program invitations.</summary>
    public string? WeChatTemplateId { get; set; }

    /// <summary>At most this many answer saves share one transaction (group commit, see SaveWriter); 1 commits each alone.</summary>
    public int SaveBatchSize { get; set; } = 64;

    /// <summary>
    /// Transactions of saves a node writes at the same time (each a batch of up to <see cref="SaveBatchSize"/>): with two, one
    /// batch is decided while the other waits for its COMMIT (measured in bench/experiments).
    /// </summary>
    public int SaveWriters { get; set; } = 2;
}
