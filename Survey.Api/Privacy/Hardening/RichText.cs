using Ganss.Xss;
using Survey.Domain.Questionnaires;

namespace Survey.Api.Privacy.Hardening;

/// <summary>
/// Rich text in questionnaires (titles, descriptions, question texts, labels, choices, translations) is cleaned on write with an
/// allowlist: b, i, em, strong, a (href with http, https or mailto), br, p, ul, ol, li. Everything else — scripts, event
/// handlers, javascript: URLs, SVG, styles — is removed. Text without '&lt;' cannot hold markup and is kept as it is.
/// </summary>
public static class RichText
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Clear();
        foreach (var tag in new[] { "b", "i", "em", "strong", "a", "br", "p", "ul", "ol", "li" }) sanitizer.AllowedTags.Add(tag);
        sanitizer.AllowedAttributes.Clear();
        sanitizer.AllowedAttributes.Add("href");
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto" }) sanitizer.AllowedSchemes.Add(scheme);
        sanitizer.AllowedCssProperties.Clear();
        sanitizer.AllowedAtRules.Clear();
        sanitizer.AllowedClasses.Clear();
        sanitizer.AllowDataAttributes = false;
        // formatting outside the list (u, span, div...) gives way to its text; code and embedded documents go with their content
        sanitizer.KeepChildNodes = true;
        sanitizer.RemovingTag += (_, e) =>
        {
            if (e.Tag.LocalName is "script" or "style" or "template" or "noscript" or "iframe" or "object" or "embed" or "svg" or "math" or "textarea" or "select" or "title")
                e.Tag.TextContent = "";
        };
        return sanitizer;
    }

    public static string Clean(string text) => text.Contains('<') ? Sanitizer.Sanitize(text) : text;

    private static LocalizedText? Clean(LocalizedText? text) => text is null ? null : new LocalizedText(text.ToDictionary(kv => kv.Key, kv => Clean(kv.Value)));

    private static Question Clean(Question q) => q with
    {
        Text = Clean(q.Text)!, Description = Clean(q.Description), MinLabel = Clean(q.MinLabel), MaxLabel = Clean(q.MaxLabel),
        Choices = q.Choices?.Select(c => c with { Text = Clean(c.Text)! }).ToList(),
    };

    private static QuestionnaireDefinition Clean(QuestionnaireDefinition d) =>
        d with { Title = Clean(d.Title)!, Description = Clean(d.Description), Questions = d.Questions.Select(Clean).ToList() };

    /// <summary>The command with every text it writes cleaned.</summary>
    public static QuestionnaireCommand Clean(QuestionnaireCommand command) => command switch
    {
        CreateQuestionnaire c => c with { Definition = Clean(c.Definition) },
        ReplaceDraft c => c with { Definition = Clean(c.Definition) },
        ChangeQuestionnaireDetails c => c with { Title = Clean(c.Title)!, Description = Clean(c.Description) },
        AddQuestion c => c with { Question = Clean(c.Question) },
        EditQuestion c => c with { Question = Clean(c.Question) },
        // a body without texts is the decider's to refuse (400), not a null dereference here
        TranslateQuestionnaire { Texts: null } c => c,
        TranslateQuestionnaire c => c with { Texts = c.Texts.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : Clean(kv.Value)) },
        _ => command,
    };
}
