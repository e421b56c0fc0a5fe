using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Survey.Api.Http;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Questionnaires.Translating;

/// <param name="Locale">The locale asked for.</param>
/// <param name="DefaultLocale">The locale the sources are written in.</param>
/// <param name="Missing">How many texts have no translation yet.</param>
public sealed record TranslationSheet(string Locale, string DefaultLocale, int Missing, IReadOnlyList<TranslationEntry> Entries);

/// <param name="Texts">Translation per key as listed by the GET; an empty text removes a translation.</param>
public sealed record TranslateRequest(IReadOnlyDictionary<string, string?> Texts);

public static class TranslatingEndpoints
{
    public static RouteGroupBuilder MapTranslating(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/translations/{locale}", Get)
            .WithName("GetTranslations")
            .WithSummary("Every text of the draft with its source and its translation into one locale")
            .WithDescription("Keys use ids, not positions (questions.nps.text, questions.wrong.choices.wait), so a translation survives reordering.");

        group.MapPut("/{id:guid}/translations/{locale}", Put)
            .WithName("TranslateQuestionnaire")
            .WithSummary("Set translations of the draft in one locale")
            .WithRequestExample("""{ "texts": { "title": "售后服务调查", "questions.nps.text": "您向朋友推荐{dealer.name}的可能性有多大？" } }""");
        return group;
    }

    private static async Task<Ok<TranslationSheet>> Get(Guid id, string locale, IQuerySession session, HttpResponse response, CancellationToken ct)
    {
        var questionnaire = await session.LoadAsync<Questionnaire>(id, ct) ?? throw new NotFoundException($"Questionnaire {id} does not exist.");
        var draft = questionnaire.Draft;
        if (!draft.Locales.Contains(locale, StringComparer.OrdinalIgnoreCase))
            throw new InvalidInputException([new("locale", "unknown-locale", $"'{locale}' is not one of the questionnaire's locales ({string.Join(", ", draft.Locales)}).")]);
        var entries = Translations.Entries(draft, locale);
        response.SetETag(questionnaire.Version);
        return TypedResults.Ok(new TranslationSheet(locale, draft.DefaultLocale, entries.Count(e => string.IsNullOrWhiteSpace(e.Text)), entries));
    }

    private static async Task<Ok<QuestionnaireView>> Put(
        Guid id, string locale, TranslateRequest request, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await QuestionnaireCommands.Run(session, time, http, id, new TranslateQuestionnaire(locale, request.Texts), ct));
}
