using Survey.Api.Security;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using Survey.Domain.Questionnaires.SurveyJs;

namespace Survey.Api.Questionnaires.Exchanging;

public static class ExchangeEndpoints
{
    public static RouteGroupBuilder MapExchanging(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/export", Export)
            .WithName("ExportQuestionnaire")
            .AuditedRead()
            .WithSummary("Export the draft, or a published version, in our JSON format")
            .WithDescription("Pass ?version=N for a published version. The document imports back losslessly.");

        group.MapPost("/import", Import)
            .WithName("ImportQuestionnaire")
            .WithSummary("Create a questionnaire from a document in our JSON format");

        group.MapPut("/{id:guid}/draft", ReplaceDraft)
            .WithName("ReplaceQuestionnaireDraft")
            .WithSummary("Replace the whole draft with a document in our JSON format");

        group.MapPost("/import/surveyjs", ImportSurveyJs)
            .WithName("ImportSurveyJs")
            .WithSummary("Create a questionnaire from a SurveyJS survey JSON")
            .WithDescription("Pages, panels, rating/radiogroup/checkbox/dropdown/comment/text/boolean elements, visibleIf/requiredIf, isRequired and localized strings are carried over; " +
                "everything else is listed under 'unsupported' by its JSON path. ?dryRun=true converts without saving; ?locale= names the locale of SurveyJS 'default' strings (default en).")
            .WithRequestExample(QuestionnaireExamples.SurveyJs);
        return group;
    }

    private static async Task<Ok<QuestionnaireDocument>> Export(Guid id, int? version, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        QuestionnaireDefinition definition;
        if (version is { } v)
            definition = (await session.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(id, v), ct)
                ?? throw new NotFoundException($"Questionnaire {id} has no published version {v}.")).Definition;
        else
            definition = (await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.")).Draft;
        return TypedResults.Ok(new QuestionnaireDocument(QuestionnaireDocument.FormatName, QuestionnaireDocument.CurrentFormatVersion, definition,
            new ExportSource(id, version, time.GetUtcNow())));
    }

    private static async Task<Created<QuestionnaireView>> Import(
        QuestionnaireDocument document, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        CheckFormat(document);
        var id = Guid.CreateVersion7();
        var view = await QuestionnaireCommands.Run(session, time, http, id, new CreateQuestionnaire(id, document.Definition, "import"), ct);
        return TypedResults.Created($"/api/questionnaires/{id}", view);
    }

    private static async Task<Ok<QuestionnaireView>> ReplaceDraft(
        Guid id, QuestionnaireDocument document, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        CheckFormat(document);
        return TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new ReplaceDraft(document.Definition, "import"), ct));
    }

    private static async Task<Results<Created<SurveyJsImportView>, Ok<SurveyJsImportView>>> ImportSurveyJs(
        JsonNode survey, bool? dryRun, string? locale, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (survey is not JsonObject)
            throw new InvalidInputException([new("$", "not-an-object", "A SurveyJS survey is a JSON object with pages or elements.")]);
        var result = SurveyJsImporter.Import(survey, string.IsNullOrWhiteSpace(locale) ? "en" : locale);
        var unsupported = result.Unsupported.Select(u => new SurveyJsImportIssueView(u.Path, u.Reason)).ToList();
        if (dryRun == true)
        {
            InvalidInputException.ThrowIfAny(QuestionnaireValidator.Validate(result.Definition));
            return TypedResults.Ok(new SurveyJsImportView(null, result.Definition, unsupported));
        }
        var id = Guid.CreateVersion7();
        var view = await QuestionnaireCommands.Run(session, time, http, id, new CreateQuestionnaire(id, result.Definition, "surveyjs"), ct);
        return TypedResults.Created($"/api/questionnaires/{id}", new SurveyJsImportView(view, result.Definition, unsupported));
    }

    private static void CheckFormat(QuestionnaireDocument document)
    {
        var problems = new List<InputProblem>();
        if (document.Format != QuestionnaireDocument.FormatName)
            problems.Add(new("format", "unknown-format", $"Expected format '{QuestionnaireDocument.FormatName}'."));
        if (document.FormatVersion != QuestionnaireDocument.CurrentFormatVersion)
            problems.Add(new("formatVersion", "unsupported-version", $"Format version {document.FormatVersion} is not supported; this server reads version {QuestionnaireDocument.CurrentFormatVersion}."));
        InvalidInputException.ThrowIfAny(problems);
    }
}
