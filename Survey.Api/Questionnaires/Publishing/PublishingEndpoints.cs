using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires.Publishing;

public static class PublishingEndpoints
{
    public static RouteGroupBuilder MapPublishing(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/publish", Publish)
            .WithName("PublishQuestionnaire")
            .WithSummary("Freeze the draft as the next numbered version")
            .WithDescription("Checks the draft completely (translations included) and records it as version N; the draft becomes version N+1. Published versions never change.");

        group.MapPost("/{id:guid}/archive", Archive)
            .WithName("ArchiveQuestionnaire")
            .WithSummary("Archive the questionnaire; it can no longer change or be published");
        return group;
    }

    private static async Task<Ok<QuestionnaireView>> Publish(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new PublishQuestionnaire(), ct));

    private static async Task<Ok<QuestionnaireView>> Archive(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new ArchiveQuestionnaire(), ct));
}
