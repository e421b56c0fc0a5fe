using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Api.Privacy;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Respondents.Answering;

public sealed record StartRequest(SourceView Source, string? Locale = null, string? Channel = null, string? Device = null, string? PageUrl = null);
public sealed record SaveRequest(int Sequence, IReadOnlyDictionary<string, JsonElement>? Answers = null);
public sealed record SaveResult(Guid ResponseId, int Sequence, bool Completed);
public sealed record StartResult(Guid ResponseId, Guid QuestionnaireId, int Version, bool Completed);
public sealed record PlacementView(string Id, PlacementMode Mode, string? Container, ShowRules Show, int RecontactDays, Theme Theme);
public sealed record WidgetView(string PublicKey, IReadOnlyList<PlacementView> Placements);
public sealed record DismissRequest(string PlacementId, string VisitorId);

/// <summary>The public, sign-in-free endpoints every respondent surface uses (docs/respondent-api.md).</summary>
public static class AnsweringEndpoints
{
    private static readonly string[] Channels = ["web", "sms", "email", "miniProgram"];
    private static readonly string[] Devices = ["mobile", "tablet", "desktop"];

    public static IEndpointRouteBuilder MapAnsweringApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/public").WithTags("Respondents").AllowAnonymous().RequirePublicLimits();
        group.MapGet("/surveys/by-token/{token}", ByToken).WithName("GetSurveyByToken").WithSummary("What to render for a personal invitation");
        group.MapGet("/surveys/by-link/{linkId}", ByLink).WithName("GetSurveyByLink").WithSummary("What to render for an open link");
        group.MapGet("/widget/{publicKey}", Widget).WithName("GetWidgetConfiguration").WithSummary("A widget key's placements and when they show");
        group.MapGet("/surveys/by-key/{publicKey}/{placementId}", ByPlacement).WithName("GetSurveyByPlacement")
            .WithSummary("What to render for a widget placement; with ?visitorId= a visitor inside the recontact limit gets 409 recontact-limit");
        group.MapPost("/widget/{publicKey}/dismissals", Dismiss).WithName("DismissWidget")
            .WithSummary("Record that a visitor closed a placement without answering; it stays quiet for its recontact days")
            .WithRequestExample("""{ "placementId": "checkout", "visitorId": "v_3f9c2a7e" }""");
        group.MapPut("/responses/{responseId:guid}", Start).WithName("StartResponse")
            .WithSummary("Start a response (the client makes its id); repeating the same start changes nothing")
            .WithRequestExample("""{ "source": { "kind": "link", "linkId": "Vb3k1xQ0aP2mZr8w" }, "locale": "zh-CN", "channel": "web", "device": "mobile", "pageUrl": "https://shop.example.com/checkout" }""");
        group.MapPost("/responses/{responseId:guid}/saves", Save).WithName("SaveAnswers")
            .WithSummary("Save answers (usually one page); a save number already applied changes nothing")
            .WithRequestExample("""{ "sequence": 1, "answers": { "nps": 4, "wrong": ["wait"] } }""");
        group.MapPost("/responses/{responseId:guid}/complete", Complete).WithName("CompleteResponse")
            .WithSummary("Submit the response; required questions that are shown must be answered")
            .WithRequestExample("""{ "sequence": 3, "answers": { "comment": "The lounge was lovely." } }""");
        return app;
    }

    private static async Task<Ok<SurveyView>> ByToken(string token, string? locale, PublicSources sources, IDocumentStore store, CancellationToken ct)
    {
        var source = await sources.ByToken(token, ct);
        var existing = source.Invitation!.RespondedBy is { } by ? new ExistingResponse(by, true) : null;
        return TypedResults.Ok(Render(source, locale, existing));
    }

    private static async Task<Ok<SurveyView>> ByLink(string linkId, string? locale, PublicSources sources, CancellationToken ct) =>
        TypedResults.Ok(Render(await sources.ByLink(linkId, ct), locale, null));

    private static async Task<Ok<SurveyView>> ByPlacement(string publicKey, string placementId, string? locale, string? visitorId, PublicSources sources, CancellationToken ct) =>
        TypedResults.Ok(Render(await sources.ByPlacement(publicKey, placementId, ct, visitorId), locale, null));

    private static async Task<NoContent> Dismiss(string publicKey, DismissRequest request, PublicSources sources, IDocumentStore store, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        PublicSources.CheckVisitorId(request.VisitorId ?? "");
        var (tenant, key) = await sources.WidgetKey(publicKey, ct);
        PublicCors.EnsureOriginAllowed(http, key.AllowedOrigins);
        if (key.Placements.All(p => p.Id != request.PlacementId)) throw new NotFoundException($"The widget has no placement '{request.PlacementId}'.");
        await using var session = store.LightweightSession(tenant);
        session.Store(new WidgetContact(WidgetContact.IdFor(publicKey, request.PlacementId, request.VisitorId!), publicKey, request.PlacementId, request.VisitorId!, ContactKind.Dismissed, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<WidgetView>> Widget(string publicKey, PublicSources sources, CancellationToken ct)
    {
        var (_, key) = await sources.WidgetKey(publicKey, ct);
        return TypedResults.Ok(new WidgetView(key.Id, key.Placements.Select(p =>
            new PlacementView(p.Id, p.Mode, p.Container, p.Show, p.RecontactDays, DistributionDefaults.Merge(p.Theme))).ToList()));
    }

    private static SurveyView Render(ResolvedSource source, string? locale, ExistingResponse? existing) => RenderSource(source, locale, existing);

    /// <summary>Renders in the negotiated locale, with operational data filled into placeholders.</summary>
    public static SurveyView RenderSource(ResolvedSource source, string? locale, ExistingResponse? existing)
    {
        var definition = source.Published.Definition;
        var data = source.Data?.Invoke(SurveyRenderer.Negotiate(definition, locale));
        return SurveyRenderer.Render(source.Published.QuestionnaireId, source.Published.Version, definition, locale, source.View, source.Theme, data, existing);
    }

    private static async Task<Results<Created<StartResult>, Ok<StartResult>>> Start(
        Guid responseId, StartRequest request, PublicSources sources, IDocumentStore store, SaveWriter writer, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        var channel = request.Channel ?? "web";
        if (!Channels.Contains(channel)) problems.Add(new("channel", "unknown-channel", "channel is web, sms, email or miniProgram."));
        if (request.Device is { } device && !Devices.Contains(device)) problems.Add(new("device", "unknown-device", "device is mobile, tablet or desktop."));
        if (request.PageUrl is { } url && (url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out _))) problems.Add(new("pageUrl", "invalid-url", "pageUrl is an absolute URL of at most 2000 characters."));
        if (request.Locale is { Length: > 35 }) problems.Add(new("locale", "invalid-locale", "locale is a language tag such as zh-CN."));
        InvalidInputException.ThrowIfAny(problems);

        var source = await sources.Resolve(request.Source, ct);
        PublicCors.EnsureOriginAllowed(http, source.AllowedOrigins);
        var now = time.GetUtcNow();
        if (source.Invitation is { } invitation) InvitationDecider.EnsureOpenFor(invitation, responseId, now);

        var published = source.Published;
        var locale = SurveyRenderer.Negotiate(published.Definition, request.Locale);
        var command = new StartResponse(responseId, published.QuestionnaireId, published.Version, source.Source, channel, locale, request.Device, request.PageUrl);
        if (await Begin(store, writer, source, command, now, ct) is { } existing)
            return TypedResults.Ok(new StartResult(responseId, published.QuestionnaireId, published.Version, existing.Status == ResponseStatus.Completed));
        // (after the start's connection went back to the pool: this takes one of its own)
        if (source.Invitation is { Opened: false } opened) await RecordOpened(store, source.TenantId, opened.Id, now, ct);
        return TypedResults.Created($"/api/public/responses/{responseId}", new StartResult(responseId, published.QuestionnaireId, published.Version, false));
    }

    /// <summary>
    /// Appends the start and the response's public address in one transaction; the response already there (nothing appended)
    /// when the start was made before. The transaction is opened here so its time, which Marten writes as the Response document's
    /// <c>mt_last_modified</c>, is known: this node's save writer then holds the new response and its first save reads nothing
    /// (<see cref="SaveWriter.Started"/>).
    /// </summary>
    private static async Task<Response?> Begin(IDocumentStore store, SaveWriter writer, ResolvedSource source, StartResponse command, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var transaction = await connection.BeginTransactionAsync(ct); // rolled back with the connection unless the session commits it
        DateTime written;
        await using (var clock = new Npgsql.NpgsqlCommand("select transaction_timestamp()", connection, transaction))
            written = (DateTime)(await clock.ExecuteScalarAsync(ct))!;
        var options = Marten.Services.SessionOptions.ForTransaction(transaction, shouldAutoCommit: true);
        options.TenantId = source.TenantId;
        await using var session = store.LightweightSession(options);
        var stream = await session.Events.FetchForWriting<Response>(command.ResponseId, ct);
        var events = ResponseDecider.Decide(command, stream.Aggregate, source.Published.Definition, now);
        if (events.Length == 0) return stream.Aggregate;
        stream.AppendMany(events);
        var address = new PublicAddress(PublicIds.ResponseAddress(command.ResponseId), source.TenantId, PublicAddressKind.Response, source.AllowedOrigins);
        session.Insert(address);
        await session.SaveChangesAsync(ct);
        PublicSources.Started(command.ResponseId, address);
        writer.Started(source.TenantId, command.ResponseId, new StoredResponse((stream.StartingVersion ?? 0) + events.Length, written,
            events.Aggregate(stream.Aggregate, ResponseDecider.Evolve)!, NoDataKey: true));
        return null;
    }

    /// <summary>
    /// "Opened" counts only when a real respondent starts answering (a scanner's GET of the link records nothing). Best effort,
    /// after the start is committed: when several starts race, one records it and the others find it recorded.
    /// </summary>
    private static async Task RecordOpened(IDocumentStore store, string tenant, Guid invitationId, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession(tenant);
            var stream = await session.Events.FetchForWriting<Invitation>(invitationId, ct);
            if (stream.Aggregate is not { Opened: false }) return;
            stream.AppendOne(new InvitationOpened(invitationId, now));
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is JasperFx.ConcurrencyException or JasperFx.Events.EventStreamUnexpectedMaxEventIdException) { }
    }

    /// <summary>A save joins the others arriving on this node in one transaction (<see cref="SaveWriter"/>); answered after its commit.</summary>
    private static async Task<Ok<SaveResult>> Save(Guid responseId, SaveRequest request, PublicSources sources, SaveWriter writer, HttpContext http, CancellationToken ct)
    {
        var address = await sources.AddressOfResponse(responseId, ct);
        PublicCors.EnsureOriginAllowed(http, address.AllowedOrigins);
        return TypedResults.Ok(await writer.Save(address.TenantId, responseId, request));
    }

    /// <summary>A completion commits alone: with the invitation it answers, the case it may open and the widget contact.</summary>
    private static async Task<Ok<SaveResult>> Complete(
        Guid responseId, SaveRequest request, PublicSources sources, IDocumentStore store, PersonalDataVault vault, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var address = await sources.AddressOfResponse(responseId, ct);
        PublicCors.EnsureOriginAllowed(http, address.AllowedOrigins);
        await using var session = store.LightweightSession(address.TenantId);

        var stream = await session.Events.FetchForWriting<Response>(responseId, ct);
        var now = time.GetUtcNow();
        var (definition, clearResponse, decided, events, sealing) = await SaveDecision.Make(session, vault, stream.Aggregate, request, complete: true, now, ct);
        var response = stream.Aggregate!;
        if (events.Length > 0)
        {
            stream.AppendMany(events);
            Invitation? invitationState = null;
            if (response.Source.InvitationId is { } invitationId)
            {
                // the invitation and the response change in one transaction: one invitation, at most one completed response
                var invitation = await session.Events.FetchForWriting<Invitation>(invitationId, ct);
                invitationState = invitation.Aggregate ?? throw new NotFoundException("This survey could not be found.");
                invitation.AppendMany(InvitationDecider.Respond(invitationState, responseId, now));
            }
            // case rules open a case in the same transaction (at most one per response: Survey.Api/Cases/Opening)
            if (events.OfType<ResponseCompleted>().Any())
                // (on the clear answers: keyword rules read free text, which the events carry sealed; the case copies none of it)
                await Cases.Opening.CaseOpening.OnCompleted(session, decided.Aggregate(clearResponse, ResponseDecider.Evolve), definition, invitationState, now, ct);
            if (response.Source is { Kind: ResponseSourceKind.Widget, VisitorId: { } visitor, PublicKey: { } key, PlacementId: { } placement })
                session.Store(new WidgetContact(WidgetContact.IdFor(key, placement, visitor), key, placement, visitor, ContactKind.Answered, now));
            await session.SaveChangesAsync(ct);
            sealing?.Committed();
        }
        return TypedResults.Ok(new SaveResult(responseId, request.Sequence, true));
    }
}
