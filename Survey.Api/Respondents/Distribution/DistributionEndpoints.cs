using Survey.Api.Security;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Api.Storage;
using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Respondents.Distribution;

public sealed record CreateLinkRequest(Guid QuestionnaireId);
public sealed record LinkView(string Id, Guid QuestionnaireId, bool Active, string Url);
public sealed record WidgetKeyRequest(string Name, IReadOnlyList<string> AllowedOrigins, IReadOnlyList<Placement> Placements);
/// <param name="ExpiresInDays">Defaults to the configured invitation lifetime.</param>
public sealed record CreateInvitationRequest(Guid QuestionnaireId, string Channel = "email", int? ExpiresInDays = null);
public sealed record InvitationView(Guid InvitationId, Guid QuestionnaireId, int Version, DateTimeOffset ExpiresAt, string Token, string Url);

/// <summary>How surveys reach respondents by hand: open links, widget keys with placements, single invitations.</summary>
public static partial class DistributionEndpoints
{
    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex PlacementIdPattern();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColourPattern();

    public static IEndpointRouteBuilder MapDistributionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Distribution").RequireReadWrite(Policies.DesignRead, Policies.Design);
        group.MapPost("/public-links", CreateLink).WithName("CreatePublicLink").WithSummary("Create an open link to the latest published version")
            .WithRequestExample("""{ "questionnaireId": "0195f000-0000-7000-8000-000000000001" }""");
        group.MapPost("/public-links/{id}/deactivate", DeactivateLink).WithName("DeactivatePublicLink").WithSummary("Close an open link");
        group.MapPost("/widget-keys", CreateWidgetKey).WithName("CreateWidgetKey").WithSummary("Create a widget public key with its placements")
            .WithRequestExample("""
                { "name": "Online shop", "allowedOrigins": ["https://shop.example.com"],
                  "placements": [ { "id": "checkout", "questionnaireId": "0195f000-0000-7000-8000-000000000001", "mode": "popover",
                                    "show": { "afterSeconds": 3, "urlPattern": "/checkout/*", "event": "checkout_completed" }, "recontactDays": 90,
                                    "theme": { "primaryColor": "#0f766e" } } ] }
                """);
        group.MapPut("/widget-keys/{key}", UpdateWidgetKey).WithName("UpdateWidgetKey").WithSummary("Replace a widget key's name, origins and placements");
        group.MapGet("/widget-keys/{key}", GetWidgetKey).WithName("GetWidgetKey").WithSummary("Read a widget key");
        group.MapPost("/invitations", CreateInvitation).WithName("CreateInvitation")
            .WithSummary("Invite one respondent by hand: a signed token and link for the latest published version")
            .WithRequestExample("""{ "questionnaireId": "0195f000-0000-7000-8000-000000000001", "channel": "sms", "expiresInDays": 7 }""");
        return app;
    }

    private static async Task<Created<LinkView>> CreateLink(CreateLinkRequest request, IDocumentSession session, Tenancy tenancy, TimeProvider time, HttpRequest http, CancellationToken ct)
    {
        await LatestPublished(session, request.QuestionnaireId, "questionnaireId", ct);
        var link = new PublicLink(PublicIds.NewLinkId(), request.QuestionnaireId, true, time.GetUtcNow());
        session.Insert(link);
        session.Insert(new PublicAddress(link.Id, tenancy.TenantId, PublicAddressKind.Link));
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/public-links/{link.Id}", new LinkView(link.Id, link.QuestionnaireId, true, $"{Origin(http)}/s/p/{link.Id}"));
    }

    private static async Task<Ok<LinkView>> DeactivateLink(string id, IDocumentSession session, HttpRequest http, CancellationToken ct)
    {
        var link = await session.LoadAsync<PublicLink>(id, ct) ?? throw new NotFoundException($"Link {id} does not exist.");
        session.Store(link with { Active = false });
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new LinkView(link.Id, link.QuestionnaireId, false, $"{Origin(http)}/s/p/{link.Id}"));
    }

    private static async Task<Created<WidgetKey>> CreateWidgetKey(WidgetKeyRequest request, IDocumentSession session, Tenancy tenancy, TimeProvider time,
        RegisteredOrigins registered, CancellationToken ct)
    {
        var origins = await Check(request, session, ct);
        var key = new WidgetKey(PublicIds.NewWidgetKey(), request.Name, origins, request.Placements, true, time.GetUtcNow());
        session.Insert(key);
        session.Insert(new PublicAddress(key.Id, tenancy.TenantId, PublicAddressKind.WidgetKey, origins));
        await session.SaveChangesAsync(ct);
        registered.Forget();
        return TypedResults.Created($"/api/widget-keys/{key.Id}", key);
    }

    private static async Task<Ok<WidgetKey>> UpdateWidgetKey(string key, WidgetKeyRequest request, IDocumentSession session, Tenancy tenancy, TimeProvider time,
        RegisteredOrigins registered, CancellationToken ct)
    {
        var existing = await session.LoadAsync<WidgetKey>(key, ct) ?? throw new NotFoundException($"Widget key {key} does not exist.");
        var origins = await Check(request, session, ct);
        var updated = existing with { Name = request.Name, AllowedOrigins = origins, Placements = request.Placements, UpdatedAt = time.GetUtcNow() };
        session.Store(updated);
        session.Store(new PublicAddress(key, tenancy.TenantId, PublicAddressKind.WidgetKey, origins));
        await session.SaveChangesAsync(ct);
        registered.Forget();
        return TypedResults.Ok(updated);
    }

    private static async Task<Ok<WidgetKey>> GetWidgetKey(string key, IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(await session.LoadAsync<WidgetKey>(key, ct) ?? throw new NotFoundException($"Widget key {key} does not exist."));

    private static async Task<Created<InvitationView>> CreateInvitation(
        CreateInvitationRequest request, IDocumentSession session, Tenancy tenancy, InvitationTokens tokens, IOptions<RespondentOptions> options,
        TimeProvider time, HttpRequest http, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        if (request.ExpiresInDays is < 1 or > 365) problems.Add(new("expiresInDays", "out-of-range", "An invitation stays open 1 to 365 days."));
        if (request.Channel is not ("email" or "sms" or "miniProgram" or "web")) problems.Add(new("channel", "unknown-channel", "channel is email, sms, miniProgram or web."));
        InvalidInputException.ThrowIfAny(problems);
        var version = await LatestPublished(session, request.QuestionnaireId, "questionnaireId", ct);
        var now = time.GetUtcNow();
        var expires = now + (request.ExpiresInDays is { } days ? TimeSpan.FromDays(days) : options.Value.DefaultInvitationLifetime);
        var id = Guid.CreateVersion7();
        session.Events.StartStream<Invitation>(id, new InvitationCreated(id, request.QuestionnaireId, version, request.Channel, expires, now));
        await session.SaveChangesAsync(ct);
        var token = await tokens.Issue(new InvitationClaims(tenancy.TenantId, id, request.QuestionnaireId, expires), ct);
        var url = $"{options.Value.PublicBaseUrl?.TrimEnd('/') ?? Origin(http)}/s/{token}";
        return TypedResults.Created($"/api/invitations/{id}", new InvitationView(id, request.QuestionnaireId, version, expires, token, url));
    }

    internal static async Task<int> LatestPublished(IQuerySession session, Guid questionnaireId, string path, CancellationToken ct)
    {
        var questionnaire = await session.LoadAsync<Questionnaire>(questionnaireId, ct);
        if (questionnaire is null) throw new InvalidInputException([new(path, "unknown-questionnaire", $"Questionnaire {questionnaireId} does not exist.")]);
        if (questionnaire.Archived) throw new RuleViolationException("archived", "The questionnaire is archived.");
        return questionnaire.LatestPublishedVersion ?? throw new RuleViolationException("not-published", "Publish the questionnaire before sending it to respondents.");
    }

    private static async Task<IReadOnlyList<string>> Check(WidgetKeyRequest request, IQuerySession session, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100) problems.Add(new("name", "required", "A name of 1 to 100 characters is required."));
        var origins = new List<string>();
        for (var i = 0; i < (request.AllowedOrigins?.Count ?? 0); i++)
        {
            var text = request.AllowedOrigins![i];
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && uri.AbsolutePath == "/" && uri.Query == "" && string.IsNullOrEmpty(uri.UserInfo))
                origins.Add(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant());
            else problems.Add(new($"allowedOrigins[{i}]", "invalid-origin", "An origin is scheme://host[:port] with nothing after it, e.g. https://shop.example.com."));
        }
        if (origins.Count == 0 && problems.All(p => !p.Path.StartsWith("allowedOrigins"))) problems.Add(new("allowedOrigins", "required", "List the sites that may embed the widget."));
        var placements = request.Placements ?? [];
        if (placements.Count is 0 or > 50) problems.Add(new("placements", "required", "A widget key has 1 to 50 placements."));
        for (var i = 0; i < placements.Count; i++)
        {
            var p = placements[i];
            var path = $"placements[{i}]";
            if (p.Id is null || !PlacementIdPattern().IsMatch(p.Id)) problems.Add(new($"{path}.id", "invalid-id", "A placement id is 1-40 lower-case letters, digits, '_' or '-', starting with a letter."));
            if (!Enum.IsDefined(p.Mode)) problems.Add(new($"{path}.mode", "unknown-mode", "mode is inline, popover or slideIn."));
            if (p.Mode == PlacementMode.Inline && string.IsNullOrWhiteSpace(p.Container)) problems.Add(new($"{path}.container", "required", "An inline placement names its container (a CSS selector)."));
            if (p.RecontactDays is < 0 or > 3650) problems.Add(new($"{path}.recontactDays", "out-of-range", "recontactDays runs from 0 to 3650."));
            if (p.Show is null) problems.Add(new($"{path}.show", "required", "Say when the placement shows (an empty object shows it at once)."));
            else
            {
                if (p.Show.AfterSeconds is < 0 or > 3600) problems.Add(new($"{path}.show.afterSeconds", "out-of-range", "afterSeconds runs from 0 to 3600."));
                if (p.Show.ScrollPercent is < 0 or > 100) problems.Add(new($"{path}.show.scrollPercent", "out-of-range", "scrollPercent runs from 0 to 100."));
                if (p.Show.UrlPattern is { Length: > 500 }) problems.Add(new($"{path}.show.urlPattern", "too-long", "urlPattern holds at most 500 characters."));
                if (p.Show.Event is { } e && (e.Length is 0 or > 100)) problems.Add(new($"{path}.show.event", "invalid", "event is 1 to 100 characters."));
            }
            foreach (var (field, colour) in new[] { ("primaryColor", p.Theme?.PrimaryColor), ("backgroundColor", p.Theme?.BackgroundColor), ("textColor", p.Theme?.TextColor) })
                if (colour is not null && !ColourPattern().IsMatch(colour)) problems.Add(new($"{path}.theme.{field}", "invalid-colour", "Colours are written #rrggbb."));
            if (p.Theme?.FontFamily is { } font && (font.Length > 200 || font.IndexOfAny(['{', '}', ';', '<', '>']) >= 0))
                problems.Add(new($"{path}.theme.fontFamily", "invalid-font", "A font family list may not contain { } ; < >."));
            if (p.Theme?.Radius is < 0 or > 32) problems.Add(new($"{path}.theme.radius", "out-of-range", "radius runs from 0 to 32."));
            else if (problems.All(x => !x.Path.StartsWith(path)))
            {
                var questionnaire = await session.LoadAsync<Questionnaire>(p.QuestionnaireId, ct);
                if (questionnaire?.LatestPublishedVersion is null || questionnaire.Archived)
                    problems.Add(new($"{path}.questionnaireId", "not-published", "The placement's questionnaire must exist and be published."));
            }
        }
        foreach (var dup in placements.Where(p => p.Id is not null).GroupBy(p => p.Id).Where(g => g.Count() > 1))
            problems.Add(new("placements", "duplicate-id", $"Placement id '{dup.Key}' is used twice."));
        InvalidInputException.ThrowIfAny(problems);
        return origins.Distinct().ToList();
    }

    internal static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
