using System.Security.Claims;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Survey.Api.Http;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Common;
using Survey.Domain.Operations;

namespace Survey.Api.Operations.Ingesting;

public sealed class OperationsOptions
{
    /// <summary>Region (ISO 3166) assumed for phone numbers sent without a +country code.</summary>
    public string DefaultPhoneRegion { get; set; } = "CN";
}

/// <summary>Server-to-server ingestion of operational events, authenticated with a tenant's API key.</summary>
public static class IngestEndpoints
{
    public const int MaxBatch = 1000;
    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ingest").WithTags("Operational data").RequireAuthorization(ApiKeys.Policy);
        group.MapPost("/events", Events).WithName("IngestEvents")
            .WithSummary("Send one operational event, or { \"events\": [...] } with up to 1,000")
            .WithDescription("Idempotent on externalId: an event sent again is counted as a duplicate and stored once. Bad items are listed with their index, field and reason; good items are kept.")
            .WithRequestExample("""
                { "events": [ { "externalId": "RO-2026-118842", "type": "service.completed", "occurredAt": "2026-11-02T16:40:00+08:00", "dealerCode": "SH-PD-01",
                  "customer": { "externalId": "C-88123", "name": "王伟", "mobile": "13812345678", "email": "wang.wei@example.cn", "preferredLanguage": "zh-CN",
                                "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "dealer-counter" } ] },
                  "attributes": { "vehicleModel": "A6L", "advisor": "李娜", "amount": "1280.00" } } ] }
                """);
        group.MapPost("/events.csv", Csv).WithName("ImportEventsCsv")
            .WithSummary("Import operational events from a CSV upload (text/csv), streamed in batches")
            .WithDescription("Pass your own ?importId=<uuid> to follow progress at GET /api/ingest/imports/{importId} while the upload runs.")
            .WithMetadata(new BodyLimit(4L * 1024 * 1024 * 1024));
        group.MapGet("/imports/{importId:guid}", Import).WithName("GetImport").WithSummary("Progress and report of a CSV import");
        return app;
    }

    private static async Task<Ok<IngestResult>> Events(JsonElement body, IDocumentStore store, ClaimsPrincipal user, IOptions<JsonOptions> json,
        IOptions<OperationsOptions> options, Firing firing, Privacy.PersonalDataVault vault, TimeProvider time, CancellationToken ct)
    {
        var items = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("events", out var events)
            ? events.ValueKind == JsonValueKind.Array ? events.EnumerateArray().ToList() : throw new InvalidInputException([new("events", "not-an-array", "events is an array of events.")])
            : body.ValueKind == JsonValueKind.Object ? [body] : throw new InvalidInputException([new("$", "not-an-object", "Send an event object or { \"events\": [...] }.")]);
        if (items.Count > MaxBatch) throw new InvalidInputException([new("events", "too-many", $"A batch holds at most {MaxBatch} events.")]);

        var now = time.GetUtcNow();
        var good = new List<(OperationalEvent, Customer)>();
        var rejected = new List<RejectedItem>();
        for (var i = 0; i < items.Count; i++)
        {
            IncomingEvent? incoming;
            try
            {
                using (IngestPhases.Measure("json parse"))
                    incoming = items[i].Deserialize<IncomingEvent>(json.Value.SerializerOptions);
            }
            catch (JsonException e)
            {
                rejected.Add(new RejectedItem(i, string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.TrimStart('$', '.'), "malformed", e.Message.Split(" Path:")[0]));
                continue;
            }
            OperationalEvent? @event; Customer? customer; IReadOnlyList<InputProblem> problems;
            using (IngestPhases.Measure("validate"))
                (@event, customer, problems) = EventValidation.Check(incoming!, options.Value.DefaultPhoneRegion, now);
            if (problems.Count > 0) rejected.AddRange(EventIngestion.Reject(i, problems));
            else good.Add((@event!, customer!));
        }
        var (accepted, duplicates) = good.Count == 0 ? (0, 0) : await EventIngestion.Store(store, Tenant(user), good, "webhook", now, firing, vault, ct);
        return TypedResults.Ok(new IngestResult(accepted, duplicates, rejected));
    }

    private static async Task<Results<Ok<ImportJob>, UnprocessableEntity<ImportJob>>> Csv(HttpRequest request, Guid? importId, IDocumentStore store, ClaimsPrincipal user,
        IOptions<OperationsOptions> options, Firing firing, Privacy.PersonalDataVault vault, TimeProvider time, Npgsql.NpgsqlDataSource database,
        ILoggerFactory logs, CancellationToken ct)
    {
        if (request.ContentType?.Split(';')[0].Trim() is not ("text/csv" or "application/csv"))
            throw new BadHttpRequestException("Send the file as text/csv.", StatusCodes.Status415UnsupportedMediaType);
        var id = importId ?? Guid.CreateVersion7();
        await using (var session = store.QuerySession(Tenant(user)))
            if (await session.LoadAsync<ImportJob>(id, ct) is not null) throw new RuleViolationException("import-exists", $"Import {id} already ran; choose a new importId.");
        var job = await CsvImport.Run(request.Body, id, store, database, Tenant(user), options.Value.DefaultPhoneRegion, firing, vault, time,
            logs.CreateLogger(typeof(CsvImport)), ct);
        return job.Status == ImportStatus.Completed ? TypedResults.Ok(job) : TypedResults.UnprocessableEntity(job);
    }

    private static async Task<Ok<ImportJob>> Import(Guid importId, IDocumentStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        await using var session = store.QuerySession(Tenant(user));
        return TypedResults.Ok(await session.LoadAsync<ImportJob>(importId, ct) ?? throw new NotFoundException($"Import {importId} does not exist."));
    }

    private static string Tenant(ClaimsPrincipal user) => user.FindFirstValue(Tenancy.ClaimType) ?? throw new InvalidOperationException("No tenant on the principal.");
}
