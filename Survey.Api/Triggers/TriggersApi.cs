using Survey.Api.Security;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Api.Questionnaires;
using Survey.Domain.Common;
using Survey.Domain.Triggers;

namespace Survey.Api.Triggers;

/// <summary>Triggers as a marketer designs them: drafts, published versions, pause and resume (stream version as ETag).</summary>
public static class TriggersApi
{
    public static IEndpointRouteBuilder MapTriggersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/triggers").WithTags("Triggers").RequireReadWrite(Policies.DesignRead, Policies.Design);
        group.MapPost("/", Create).WithName("CreateTrigger").WithSummary("Create a trigger as a draft")
            .WithRequestExample("""
                { "name": "After service, East region", "eventType": "service.completed",
                  "filter": [ { "field": "dealer.region", "operator": "equal", "values": ["EAST"] }, { "field": "vehicleModel", "operator": "in", "values": ["A6L", "Q5"] } ],
                  "questionnaireId": "0195f000-0000-7000-8000-000000000001", "delay": "1.00:00:00",
                  "sendWindow": { "start": "09:00:00", "end": "20:00:00" }, "channels": ["miniProgram", "sms", "email"],
                  "samplingRate": 100, "invitationExpiry": "7.00:00:00", "reminder": { "after": "2.00:00:00", "if": "notCompleted" } }
                """);
        group.MapGet("/", List).WithName("ListTriggers").WithSummary("List triggers");
        group.MapGet("/{id:guid}", Get).WithName("GetTrigger").WithSummary("Read a trigger with its draft and latest published version");
        group.MapPut("/{id:guid}", Edit).WithName("EditTrigger").WithSummary("Replace the trigger's draft");
        group.MapPost("/{id:guid}/publish", (Guid id, IDocumentSession s, TimeProvider t, HttpContext h, CancellationToken ct) => Run(s, t, h, id, new PublishTrigger(), ct))
            .WithName("PublishTrigger").WithSummary("Freeze the draft as the next version; new events fire it from now on");
        group.MapPost("/{id:guid}/pause", (Guid id, IDocumentSession s, TimeProvider t, HttpContext h, CancellationToken ct) => Run(s, t, h, id, new PauseTrigger(), ct))
            .WithName("PauseTrigger").WithSummary("Pause: matching events are recorded as suppressed (paused)");
        group.MapPost("/{id:guid}/resume", (Guid id, IDocumentSession s, TimeProvider t, HttpContext h, CancellationToken ct) => Run(s, t, h, id, new ResumeTrigger(), ct))
            .WithName("ResumeTrigger").WithSummary("Resume a paused trigger");
        group.MapPost("/{id:guid}/archive", (Guid id, IDocumentSession s, TimeProvider t, HttpContext h, CancellationToken ct) => Run(s, t, h, id, new ArchiveTrigger(), ct))
            .WithName("ArchiveTrigger").WithSummary("Archive a trigger for good");
        return app;
    }

    private static async Task<Created<Trigger>> Create(TriggerDefinition definition, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        await EnsureQuestionnaire(session, definition.QuestionnaireId, ct);
        var id = Guid.CreateVersion7();
        var trigger = await Run(session, time, http, id, new CreateTrigger(id, definition), ct);
        return TypedResults.Created($"/api/triggers/{id}", trigger.Value!);
    }

    private static async Task<Ok<Trigger>> Edit(Guid id, TriggerDefinition definition, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        await EnsureQuestionnaire(session, definition.QuestionnaireId, ct);
        return await Run(session, time, http, id, new EditTrigger(definition), ct);
    }

    private static async Task<Ok<Trigger>> Get(Guid id, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        var trigger = await session.LoadAsync<Trigger>(id, ct) ?? throw new NotFoundException($"Trigger {id} does not exist.");
        response.SetETag(trigger.Version);
        return TypedResults.Ok(trigger);
    }

    private static async Task<Ok<Page<Trigger>>> List(int? page, int? pageSize, IQuerySession session, CancellationToken ct)
    {
        var (number, size, problems) = Paging.Read(page, pageSize, 50, 200);
        InvalidInputException.ThrowIfAny(problems);
        var result = await session.Query<Trigger>().OrderByDescending(t => t.UpdatedAt).ToPagedListAsync(number, size, ct);
        return TypedResults.Ok(new Page<Trigger>(result.ToList(), number, size, result.TotalItemCount));
    }

    private static async Task<Ok<Trigger>> Run(IDocumentSession session, TimeProvider time, HttpContext http, Guid id, TriggerCommand command, CancellationToken ct)
    {
        var (state, version) = await session.Decide<Trigger>(id, http.Request.ExpectedVersion(),
            current => TriggerDecider.Decide(command, current, time.GetUtcNow()), TriggerDecider.Evolve, ct);
        http.Response.SetETag(version);
        state.Version = version;
        return TypedResults.Ok(state);
    }

    private static async Task EnsureQuestionnaire(IQuerySession session, Guid questionnaireId, CancellationToken ct)
    {
        if (await session.LoadAsync<Survey.Domain.Questionnaires.Questionnaire>(questionnaireId, ct) is null)
            throw new InvalidInputException([new("questionnaireId", "unknown-questionnaire", $"Questionnaire {questionnaireId} does not exist.")]);
    }
}
