using System.Text.Json.Nodes;
using Survey.Domain.Questionnaires;
using Survey.Domain.Questionnaires.SurveyJs;

namespace Survey.Tests.Domain.SurveyJs;

internal static class SurveyJsInput
{
    public static SurveyJsImportResult Import(string json, string defaultLocale = "en") =>
        SurveyJsImporter.Import(JsonNode.Parse(json)!, defaultLocale);

    /// <summary>A one-page survey holding the given elements (comma-separated JSON objects).</summary>
    public static SurveyJsImportResult Elements(string elements) => Import($$"""{ "title": "T", "elements": [ {{elements}} ] }""");

    /// <summary>The only question imported from a survey holding the given element.</summary>
    public static Question Single(string element)
    {
        var result = Elements(element);
        result.Definition.Questions.Count.ShouldBe(1, string.Join("; ", result.Unsupported));
        return result.Definition.Questions[0];
    }

    public static IEnumerable<string> Paths(this SurveyJsImportResult result) => result.Unsupported.Select(i => i.Path);

    public static LocalizedText En(string text) => LocalizedText.Of("en", text);
}
