using Marten;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Answering;

/// <summary>A public request's survey, resolved from its token, link or widget key to a tenant and an exact published version.</summary>
/// <param name="Data">Operational data for piping (<c>customer.name</c>, <c>dealer.name</c>, <c>event.vehicleModel</c>...), per locale where names differ.</param>
public sealed record ResolvedSource(
    string TenantId, ResponseSource Source, SourceView View, PublishedQuestionnaire Published, Theme? Theme, Invitation? Invitation,
    IReadOnlyList<string>? AllowedOrigins, Func<string, IReadOnlyDictionary<string, string>>? Data = null);

public sealed class PublicSources(IDocumentStore store, InvitationTokens tokens, TimeProvider time, Privacy.PersonalDataVault vault)
{
    public async Task<ResolvedSource> Resolve(SourceView source, CancellationToken ct) => source.Kind switch
    {
        "invitation" => await ByToken(source.Token ?? throw Missing("source.token"), ct),
        "link" => await ByLink(source.LinkId ?? throw Missing("source.linkId"), ct),
        "widget" => await ByPlacement(source.PublicKey ?? throw Missing("source.publicKey"), source.PlacementId ?? throw Missing("source.placementId"), ct, source.VisitorId),
        _ => throw new InvalidInputException([new("source.kind", "unknown-source", "source.kind is invitation, link or widget.")]),
    };

    public async Task<ResolvedSource> ByToken(string token, CancellationToken ct)
    {
        var claims = await tokens.Verify(token, ct);
        await using var session = store.QuerySession(claims.TenantId);
        var invitation = await session.LoadAsync<Invitation>(claims.InvitationId, ct)
            ?? throw new NotFoundException("This survey could not be found.");
        if (invitation.QuestionnaireId != claims.QuestionnaireId) throw new InvalidCredentialException("This survey link is not valid.");
        if (time.GetUtcNow() >= invitation.ExpiresAt) throw new ExpiredException("This survey has closed. Thank you for your interest.");
        var published = await Version(session, invitation.QuestionnaireId, invitation.QuestionnaireVersion, ct);
        return new(claims.TenantId, new ResponseSource(ResponseSourceKind.Invitation, InvitationId: invitation.Id),
            new SourceView("invitation", Token: token), published, null, invitation, null, await PipingData(session, invitation, vault, ct));
    }

    public async Task<ResolvedSource> ByLink(string linkId, CancellationToken ct)
    {
        var address = await Address(linkId, PublicAddressKind.Link, "This survey link could not be found.", ct);
        await using var session = store.QuerySession(address.TenantId);
        var link = await session.LoadAsync<PublicLink>(linkId, ct) ?? throw new NotFoundException("This survey link could not be found.");
        if (!link.Active) throw new ExpiredException("This survey has closed. Thank you for your interest.");
        var published = await Latest(session, link.QuestionnaireId, ct);
        return new(address.TenantId, new ResponseSource(ResponseSourceKind.Link, LinkId: linkId), new SourceView("link", LinkId: linkId), published, null, null, null);
    }

    public async Task<(string TenantId, WidgetKey Key)> WidgetKey(string publicKey, CancellationToken ct)
    {
        var address = await Address(publicKey, PublicAddressKind.WidgetKey, "Unknown widget key.", ct);
        await using var session = store.QuerySession(address.TenantId);
        var key = await session.LoadAsync<WidgetKey>(publicKey, ct) ?? throw new NotFoundException("Unknown widget key.");
        if (!key.Active) throw new ExpiredException("This widget is switched off.");
        return (address.TenantId, key);
    }

    public async Task<ResolvedSource> ByPlacement(string publicKey, string placementId, CancellationToken ct, string? visitorId = null)
    {
        var (tenant, key) = await WidgetKey(publicKey, ct);
        var placement = key.Placements.FirstOrDefault(p => p.Id == placementId) ?? throw new NotFoundException($"The widget has no placement '{placementId}'.");
        await using var session = store.QuerySession(tenant);
        if (visitorId is not null)
        {
            CheckVisitorId(visitorId);
            var contact = await session.LoadAsync<WidgetContact>(WidgetContact.IdFor(publicKey, placementId, visitorId), ct);
            if (contact is not null && time.GetUtcNow() < contact.At.AddDays(placement.RecontactDays))
                throw new RuleViolationException("recontact-limit", "Thank you, you shared your feedback recently.");
        }
        var published = await Latest(session, placement.QuestionnaireId, ct);
        return new(tenant, new ResponseSource(ResponseSourceKind.Widget, PublicKey: publicKey, PlacementId: placementId, VisitorId: visitorId),
            new SourceView("widget", PublicKey: publicKey, PlacementId: placementId, VisitorId: visitorId), published, placement.Theme, null, key.AllowedOrigins);
    }

    public static void CheckVisitorId(string visitorId)
    {
        if (visitorId.Length is 0 or > 64 || !visitorId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new InvalidInputException([new("visitorId", "invalid-visitor", "visitorId is 1-64 letters, digits, '-' or '_'.")]);
    }

    /// <summary>What an invitation knows of its customer, dealer, region and event, for placeholders in question texts.</summary>
    public static async Task<Func<string, IReadOnlyDictionary<string, string>>?> PipingData(IQuerySession session, Invitation invitation, Privacy.PersonalDataVault vault, CancellationToken ct)
    {
        if (invitation.CustomerExternalId is null) return null;
        var customer = await vault.Open(session, (await session.LoadAsync<Operations.CustomerRecord>(invitation.CustomerExternalId, ct))?.Customer, ct);
        var dealer = invitation.DealerCode is { } code ? (await session.LoadAsync<Operations.DealerRecord>(code, ct))?.Dealer : null;
        var region = dealer is not null ? (await session.LoadAsync<Operations.RegionRecord>(dealer.RegionCode, ct))?.Region : null;
        var @event = invitation.EventExternalId is { } id ? (await session.LoadAsync<Operations.OperationalEventRecord>(id, ct))?.Event : null;
        return PipingFields(customer, dealer, region, @event);
    }

    /// <summary>The piping fields of this customer (in clear), dealer, region and event, per locale.</summary>
    public static Func<string, IReadOnlyDictionary<string, string>> PipingFields(
        Survey.Domain.Operations.Customer? customer, Survey.Domain.Operations.Dealer? dealer, Survey.Domain.Operations.Region? region,
        Survey.Domain.Operations.OperationalEvent? @event)
    {
        return locale =>
        {
            var data = new Dictionary<string, string>();
            void Put(string key, string? value) { if (!string.IsNullOrEmpty(value)) data[key] = value; }
            Put("customer.name", customer?.Name);
            Put("customer.firstName", customer?.Name is { } n ? (locale.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? n : n.Split(' ')[0]) : null);
            Put("customer.lastName", customer?.Name is { } m && m.Contains(' ') ? m[(m.LastIndexOf(' ') + 1)..] : null);
            Put("customer.externalId", customer?.ExternalId);
            Put("dealer.name", dealer?.Name.In(locale));
            Put("dealer.code", dealer?.Code);
            Put("dealer.city", dealer?.City);
            Put("region.name", region?.Name.In(locale));
            Put("region.code", region?.Code);
            foreach (var (key, value) in @event?.Attributes ?? new Dictionary<string, string>()) Put($"event.{key}", value);
            return data;
        };
    }

    /// <summary>The tenant of a started response, from the installation-wide index written when it started.</summary>
    /// A response's address is written once when it starts and never changes, so every node keeps the ones it has seen:
    /// a save needs no lookup on the node that started its response (one round trip less per save).
    public async Task<PublicAddress> AddressOfResponse(Guid responseId, CancellationToken ct)
    {
        if (ResponseAddresses.TryGet(responseId, out var known)) return known;
        var address = await Address(PublicIds.ResponseAddress(responseId), PublicAddressKind.Response, "This response was never started.", ct);
        ResponseAddresses.Put(responseId, address);
        return address;
    }

    /// <summary>Keeps the address of a response this node has just started (after its commit).</summary>
    public static void Started(Guid responseId, PublicAddress address) => ResponseAddresses.Put(responseId, address);

    private static readonly WriteOnceCache<Guid, PublicAddress> ResponseAddresses = new(100_000);

    /// <summary>
    /// A published version, from a small per-node cache: published versions never change, so nodes need not agree on anything
    /// (the cache is keyed by tenant, questionnaire and version, and only ever holds what the database holds).
    /// </summary>
    public static async Task<PublishedQuestionnaire> Version(IQuerySession session, Guid questionnaireId, int version, CancellationToken ct)
    {
        var key = (session.TenantId, questionnaireId, version);
        if (Published.TryGet(key, out var cached)) return cached;
        var loaded = await session.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(questionnaireId, version), ct)
            ?? throw new NotFoundException("This survey could not be found.");
        Published.Put(key, loaded);
        return loaded;
    }

    private static readonly WriteOnceCache<(string, Guid, int), PublishedQuestionnaire> Published = new(10_000);

    private static async Task<PublishedQuestionnaire> Latest(IQuerySession session, Guid questionnaireId, CancellationToken ct)
    {
        var questionnaire = await session.LoadAsync<Questionnaire>(questionnaireId, ct);
        if (questionnaire is null || questionnaire.Archived || questionnaire.LatestPublishedVersion is not { } version)
            throw new ExpiredException("This survey is not available any more.");
        return await Version(session, questionnaireId, version, ct);
    }

    private async Task<PublicAddress> Address(string id, PublicAddressKind kind, string notFound, CancellationToken ct)
    {
        if (id.Length > 100) throw new NotFoundException(notFound);
        await using var session = store.QuerySession();
        var address = await session.LoadAsync<PublicAddress>(id, ct);
        return address is not null && address.Kind == kind ? address : throw new NotFoundException(notFound);
    }

    private static InvalidInputException Missing(string path) => new([new(path, "required", $"{path} is required for this kind of source.")]);
}

/// <summary>
/// A per-node cache of values that never change once written (published versions, response addresses): nodes need not agree
/// on anything, because an entry only ever repeats what the database holds. Bounded: emptied when full, then refilled on demand.
/// </summary>
internal sealed class WriteOnceCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TKey, TValue> entries = new();

    public bool TryGet(TKey key, out TValue value) => entries.TryGetValue(key, out value!);

    public void Put(TKey key, TValue value)
    {
        if (entries.Count >= capacity) entries.Clear();
        entries[key] = value;
    }
}
