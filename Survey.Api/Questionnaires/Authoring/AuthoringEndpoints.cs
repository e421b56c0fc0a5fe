using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Survey.Api.Http;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires.Authoring;

public sealed record CreateQuestionnaireRequest(
    LocalizedText Title, string DefaultLocale, IReadOnlyList<string> Locales, LocalizedText? Description = null, IReadOnlyList<Question>? Questions = null)
{
    public QuestionnaireDefinition ToDefinition() => new(Title, Description, DefaultLocale, Locales, Questions ?? []);
}

public sealed record ChangeDetailsRequest(LocalizedText Title, string DefaultLocale, IReadOnlyList<string> Locales, LocalizedText? Description = null);

/// <param name="Position">0-based index to insert at; omitted appends the question.</param>
public sealed record AddQuestionRequest(Question Question, int? Position = null);

public sealed record ReorderQuestionsRequest(IReadOnlyList<string> Order);

public static class AuthoringEndpoints
{
    public static RouteGroupBuilder MapAuthoring(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create)
            .WithName("CreateQuestionnaire")
            .WithSummary("Create a questionnaire as a draft")
            .WithDescription("Starts a draft (version 1) with a title, its locales and optionally its questions. Answers 201 with the questionnaire and its ETag.")
            .WithRequestExample(QuestionnaireExamples.Create);

        group.MapPut("/{id:guid}/details", ChangeDetails)
            .WithName("ChangeQuestionnaireDetails")
            .WithSummary("Change title, description and locales of the draft")
            .WithRequestExample(QuestionnaireExamples.Details);

        group.MapPost("/{id:guid}/questions", AddQuestion)
            .WithName("AddQuestion")
            .WithSummary("Add a question to the draft")
            .WithDescription("Send If-Match with the ETag you read to make sure nobody changed the draft meanwhile (412 if they did).")
            .WithRequestExample(QuestionnaireExamples.AddQuestion);

        group.MapPut("/{id:guid}/questions/{questionId}", EditQuestion)
            .WithName("EditQuestion")
            .WithSummary("Replace a question of the draft (its id stays)")
            .WithRequestExample(QuestionnaireExamples.Question);

        group.MapDelete("/{id:guid}/questions/{questionId}", RemoveQuestion)
            .WithName("RemoveQuestion")
            .WithSummary("Remove a question from the draft")
            .WithDescription("Refused with 409 while another question's logic or piping still refers to it.");

        group.MapPut("/{id:guid}/question-order", Reorder)
            .WithName("ReorderQuestions")
            .WithSummary("Put the draft's questions in a new order")
            .WithRequestExample(QuestionnaireExamples.Reorder);
        return group;
    }

    private static async Task<Created<QuestionnaireView>> Create(
        CreateQuestionnaireRequest request, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var view = await QuestionnaireCommands.Run(session, time, http, id, new CreateQuestionnaire(id, request.ToDefinition()), ct);
        return TypedResults.Created($"/api/questionnaires/{id}", view);
    }

    private static async Task<Ok<QuestionnaireView>> ChangeDetails(
        Guid id, ChangeDetailsRequest request, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id,
            new ChangeQuestionnaireDetails(request.Title, request.Description, request.DefaultLocale, request.Locales), ct));

    private static async Task<Ok<QuestionnaireView>> AddQuestion(
        Guid id, AddQuestionRequest request, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new AddQuestion(request.Question, request.Position), ct));

    private static async Task<Ok<QuestionnaireView>> EditQuestion(
        Guid id, string questionId, Question question, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new EditQuestion(questionId, question), ct));

    private static async Task<Ok<QuestionnaireView>> RemoveQuestion(
        Guid id, string questionId, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new RemoveQuestion(questionId), ct));

    private static async Task<Ok<QuestionnaireView>> Reorder(
        Guid id, ReorderQuestionsRequest request, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new ReorderQuestions(request.Order), ct));
}
