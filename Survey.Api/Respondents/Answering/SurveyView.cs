using System.Text.RegularExpressions;
using Survey.Api.Respondents.Distribution;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Respondents.Answering;

public sealed record ScaleView(int Min, int Max, string? MinLabel, string? MaxLabel);
public sealed record ChoiceView(string Value, string Text);
public sealed record QuestionView(
    string Id, QuestionType Type, int Page, string Text, string? Description, bool Required, string? VisibleIf, string? RequiredIf,
    ScaleView? Scale, IReadOnlyList<ChoiceView>? Choices, int? MinChoices, int? MaxChoices, int? MaxLength);

/// <summary>Where a respondent came from, as the client sends it back when starting a response.</summary>
/// <param name="VisitorId">Widget only: the visitor's random id kept in the browser (no cookie), used for recontact limits.</param>
public sealed record SourceView(string Kind, string? Token = null, string? LinkId = null, string? PublicKey = null, string? PlacementId = null, string? VisitorId = null);

public sealed record ExistingResponse(Guid ResponseId, bool Completed);

/// <summary>Everything a respondent surface needs to show one survey, in one locale (docs/respondent-api.md).</summary>
public sealed record SurveyView(
    Guid QuestionnaireId, int Version, SourceView Source, string Locale, IReadOnlyList<string> Locales, string Title, string? Description,
    int PageCount, IReadOnlyList<QuestionView> Questions, Theme Theme, ExistingResponse? Response);

public static partial class SurveyRenderer
{
    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();

    public static SurveyView Render(Guid questionnaireId, int version, QuestionnaireDefinition d, string? requestedLocale, SourceView source,
        Theme? theme, IReadOnlyDictionary<string, string>? data = null, ExistingResponse? response = null)
    {
        var locale = Negotiate(d, requestedLocale);
        string Text(LocalizedText? text) => Fill(text?.In(locale) ?? text?.In(d.DefaultLocale) ?? text?.Values.FirstOrDefault() ?? "", data);
        string? Optional(LocalizedText? text) => text is null ? null : Text(text);

        var questions = d.Questions.Select(q => new QuestionView(
            q.Id, q.Type, q.Page, Text(q.Text), Optional(q.Description), q.Required, q.VisibleIf, q.RequiredIf,
            QuestionTypes.IsScale(q.Type) ? new ScaleView(QuestionTypes.Scale(q).Min, QuestionTypes.Scale(q).Max, Optional(q.MinLabel), Optional(q.MaxLabel)) : null,
            q.Choices?.Select(c => new ChoiceView(c.Value, Text(c.Text))).ToList(),
            q.MinChoices, q.MaxChoices, q.MaxLength)).ToList();
        return new SurveyView(questionnaireId, version, source, locale, d.Locales, Text(d.Title), Optional(d.Description),
            questions.Count == 0 ? 0 : questions.Max(q => q.Page), questions, DistributionDefaults.Merge(theme), response);
    }

    /// <summary>Exact tag, then same language (zh -> zh-CN, en-US -> en), then the questionnaire's default.</summary>
    public static string Negotiate(QuestionnaireDefinition d, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested)) return d.DefaultLocale;
        var exact = d.Locales.FirstOrDefault(l => l.Equals(requested, StringComparison.OrdinalIgnoreCase));
        if (exact is not null) return exact;
        var language = requested.Split('-', '_')[0];
        return d.Locales.FirstOrDefault(l => l.Split('-')[0].Equals(language, StringComparison.OrdinalIgnoreCase)) ?? d.DefaultLocale;
    }

    /// <summary>Fills operational-data placeholders ({customer.name}); answer placeholders ({nps}) stay for the client.</summary>
    private static string Fill(string text, IReadOnlyDictionary<string, string>? data) =>
        Placeholder().Replace(text, m =>
        {
            var name = m.Groups[1].Value.Trim();
            return Piping.IsDataField(name, out _) ? data?.GetValueOrDefault(name) ?? "" : m.Value;
        });
}
