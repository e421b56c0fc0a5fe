using System.Text.Json.Nodes;

namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>Something in the SurveyJS input that was not imported, or not as it was; <paramref name="Path"/> is a JSON path into the input, e.g. "pages[1].elements[3]".</summary>
public sealed record SurveyJsImportIssue(string Path, string Reason);

public sealed record SurveyJsImportResult(QuestionnaireDefinition Definition, IReadOnlyList<SurveyJsImportIssue> Unsupported);

/// <summary>
/// Converts a SurveyJS survey JSON definition (survey-core's schema) into a <see cref="QuestionnaireDefinition"/>.
/// Everything that does not fit our model is listed in <see cref="SurveyJsImportResult.Unsupported"/> with its path; only
/// layout settings (<see cref="JsonProps.LayoutOnly"/>) are ignored silently.
/// <list type="bullet">
/// <item>Pages are numbered 1, 2... skipping pages that yield no question; top-level <c>elements</c> (or legacy <c>questions</c>) form page 1.
/// Panels are flattened in order; a page's or panel's visibleIf is and-ed into each question inside: "(panel) and (question)".</item>
/// <item>Texts: a string is the default locale's text, an object maps SurveyJS locale keys ("zh-cn") to ours ("zh-CN");
/// "default" is the JSON's <c>locale</c> when present, else <paramref name="defaultLocale"/> of <see cref="Import"/>. Every locale seen is listed, the default first.
/// A value shown as its own text (plain choices, a missing title showing the name) is that text in every locale, as in SurveyJS.</item>
/// <item>text and comment: free text (see <see cref="QuestionImporter"/>); radiogroup, dropdown: single choice; checkbox, tagbox:
/// multiple choice (see <see cref="ChoiceImporter"/>); boolean: single choice "true"/"false"; rating: NPS, CSAT, CES or rating
/// (see <see cref="RatingImporter"/>). Other element types are skipped with an issue.</item>
/// <item>Names become ids, renamed when they are not valid ids (see <see cref="IdAssigner"/>).</item>
/// </list>
/// </summary>
public static class SurveyJsImporter
{
    private static readonly Dictionary<string, string> Reasons = new()
    {
        ["triggers"] = "Triggers are not supported; dropped.",
        ["calculatedValues"] = "Calculated values are not supported; dropped.",
        ["completedHtml"] = "The completion page is not part of a questionnaire definition; its text was dropped.",
        ["completedHtmlOnCondition"] = "The completion page is not part of a questionnaire definition; its texts were dropped.",
        ["completedBeforeHtml"] = "The completion page is not part of a questionnaire definition; its text was dropped.",
        ["loadingHtml"] = "The loading text is not part of a questionnaire definition; dropped.",
        ["logo"] = "A survey logo is not part of a questionnaire definition; dropped.",
    };

    private static readonly string[] Navigation =
    [
        "showNavigationButtons", "showPrevButton", "firstPageIsStartPage", "firstPageIsStarted", "questionsOnPageMode",
        "showPreviewBeforeComplete", "previewMode", "autoAdvanceEnabled", "goNextPageAutomatic", "autoAdvanceAllowComplete",
        "allowCompleteSurveyAutomatic", "navigateToUrl", "navigateToUrlOnCondition", "pagePrevText", "pageNextText", "completeText",
        "startSurveyText", "previewText", "editText", "showCompletePage", "showCompletedPage", "showTimer", "showTimerPanel",
        "timeLimit", "maxTimeToFinish", "timeLimitPerPage", "maxTimeToFinishPage", "timerLocation", "timerInfoMode", "showTimerPanelMode",
        "checkErrorsMode", "validateVisitedEmptyFields", "clearInvisibleValues", "questionOrder", "questionsOrder",
    ];

    static SurveyJsImporter()
    {
        foreach (var key in Navigation) Reasons[key] = "Navigation, timing and validation behaviour settings are not supported; dropped.";
    }

    /// <param name="json">A SurveyJS survey JSON object. Nothing is thrown for any input: structural problems are issues at "$".</param>
    /// <param name="defaultLocale">The tag SurveyJS's "default" texts are in, unless the JSON's own <c>locale</c> says otherwise.</param>
    public static SurveyJsImportResult Import(JsonNode json, string defaultLocale = "en")
    {
        var ctx = new ImportContext(string.IsNullOrWhiteSpace(defaultLocale) ? "en" : defaultLocale.Trim());
        if (ctx.LocaleTag(ctx.DefaultLocale) is { } given && given != ctx.DefaultLocale) ctx.UseDefaultLocale(given); // "zh-cn" -> "zh-CN"
        if (json is not JsonObject root)
        {
            ctx.Issue("$", "A SurveyJS definition is a JSON object; nothing was imported.");
            return Finish(ctx, null, null, []);
        }

        var survey = new JsonProps(root, "");
        if (ctx.Str(survey.Take(out var localePath, "locale"), localePath)?.Trim() is { Length: > 0 } locale)
        {
            if (ctx.LocaleTag(locale) is { } tag) ctx.UseDefaultLocale(tag);
            else ctx.Issue(localePath, $"'{locale}' is not a known locale; \"default\" texts were taken as '{ctx.DefaultLocale}'.");
        }
        var title = ctx.Text(survey.Take("title"), "title");
        var description = ctx.Text(survey.Take("description"), "description");
        if (ctx.Int(survey.Take(out var maxTextPath, "maxTextLength"), maxTextPath) is int maxText and > 0) ctx.SurveyMaxTextLength = maxText;
        var drafts = ElementImporter.ImportSurvey(ctx, survey);
        survey.ReportRest(ctx, JsonProps.LayoutOnly.Survey, Reasons);
        return Finish(ctx, title, description, drafts);
    }

    private static SurveyJsImportResult Finish(ImportContext ctx, LocalizedText? title, LocalizedText? description, IReadOnlyList<Draft> drafts)
    {
        if (title is null)
        {
            if (ctx.Issues.Count == 0 || ctx.Issues[0].Path != "$") ctx.Issue("title", "The survey has no title; 'Untitled survey' was used.");
            title = LocalizedText.Of(ctx.DefaultLocale, "Untitled survey");
        }
        else if (!title.ContainsKey(ctx.DefaultLocale))
        {
            var (locale, text) = title.First();
            ctx.Issue("title", $"The survey title has no {ctx.DefaultLocale} text; the {locale} title was used.");
            title = ctx.WithDefault(title, text);
        }
        ctx.FillLocales();
        var questions = IdAssigner.Assign(ctx, drafts);
        var definition = new QuestionnaireDefinition(title, description, ctx.DefaultLocale, ctx.Locales.ToList(), questions);
        return new SurveyJsImportResult(definition, ctx.Issues.ToList());
    }
}
