using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;

namespace Survey.Api.Analytics.Scorecards;

/// <summary>One customer's words on a scorecard: which response, its NPS, and the free-text answers.</summary>
public sealed record Verbatim(Guid ResponseId, int? Nps, DateTimeOffset CompletedAt, IReadOnlyList<VerbatimText> Texts);
public sealed record VerbatimText(string QuestionKey, string Text);

/// <summary>
/// The one function through which analytics reads free text: from the response itself, at query time (the read models never copy it).
/// Encryption of free text plugs in here: this is where it is decrypted.
/// </summary>
public static class Verbatims
{
    public static IReadOnlyList<VerbatimText> Read(Response response, QuestionnaireDefinition definition) =>
        definition.Questions
            .Where(q => q.Type == QuestionType.FreeText && response.Answers.TryGetValue(q.Id, out var a) && !string.IsNullOrWhiteSpace(a.Text))
            .Select(q => new VerbatimText(q.AnalyticsKey, response.Answers[q.Id].Text!))
            .ToList();
}
