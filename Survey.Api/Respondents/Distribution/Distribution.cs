using System.Buffers.Text;
using System.Security.Cryptography;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Respondents.Distribution;

/// <summary>An open link to the latest published version of a questionnaire: <c>/s/p/{Id}</c>.</summary>
public sealed record PublicLink(string Id, Guid QuestionnaireId, bool Active, DateTimeOffset CreatedAt);

public enum PlacementMode { Inline, Popover, SlideIn }

/// <summary>When a placement shows; every condition given must hold (the event, if given, must have been sent).</summary>
public sealed record ShowRules(int? AfterSeconds = null, int? ScrollPercent = null, string? UrlPattern = null, string? Event = null);

public sealed record Theme(string? PrimaryColor = null, string? BackgroundColor = null, string? TextColor = null, string? FontFamily = null, int? Radius = null);

public sealed record Placement(string Id, Guid QuestionnaireId, PlacementMode Mode, ShowRules Show, string? Container = null, int RecontactDays = 90, Theme? Theme = null);

/// <summary>A widget public key: the sites that may embed it and its placements.</summary>
public sealed record WidgetKey(string Id, string Name, IReadOnlyList<string> AllowedOrigins, IReadOnlyList<Placement> Placements, bool Active, DateTimeOffset UpdatedAt);

public enum ContactKind { Answered, Dismissed }

/// <summary>When a widget visitor last answered or dismissed a placement; the placement stays quiet for its recontact days.</summary>
public sealed record WidgetContact(string Id, string PublicKey, string PlacementId, string VisitorId, ContactKind Kind, DateTimeOffset At)
{
    public static string IdFor(string publicKey, string placementId, string visitorId) => $"{publicKey}:{placementId}:{visitorId}";
}

public enum PublicAddressKind { Link, WidgetKey, Response }

/// <summary>
/// Installation-wide index from a public identifier (link id, widget key, response id) to its tenant, so a public request
/// that carries no sign-in finds its tenant. Single-tenanted on purpose; it holds no survey content.
/// </summary>
public sealed record PublicAddress(string Id, string TenantId, PublicAddressKind Kind, IReadOnlyList<string>? AllowedOrigins = null);

public static class PublicIds
{
    /// <summary>Unguessable, URL-safe identifiers: "pk_" + 22 chars for keys, 16 chars for links.</summary>
    public static string NewLinkId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));
    public static string NewWidgetKey() => "pk_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static string ResponseAddress(Guid responseId) => $"r:{responseId}";
}

public static class DistributionDefaults
{
    public static readonly Theme Theme = new("#1d4ed8", "#ffffff", "#111827", "system-ui, -apple-system, \"Segoe UI\", \"Noto Sans CJK SC\", sans-serif", 10);

    public static Theme Merge(Theme? theme) => theme is null ? Theme : new(
        theme.PrimaryColor ?? Theme.PrimaryColor, theme.BackgroundColor ?? Theme.BackgroundColor, theme.TextColor ?? Theme.TextColor,
        theme.FontFamily ?? Theme.FontFamily, theme.Radius ?? Theme.Radius);
}
