using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.SurveyJs.SurveyJsInput;

namespace Survey.Tests.Domain.SurveyJs;

public class StructureAndLocaleTests
{
    [Fact]
    public void Pages_are_numbered_skipping_pages_without_imported_questions()
    {
        var result = Import("""
            { "title": "T", "pages": [
                { "name": "p1", "elements": [ { "type": "text", "name": "a" } ] },
                { "name": "p2", "elements": [] },
                { "name": "p3", "elements": [ { "type": "html", "name": "info" } ] },
                { "name": "p4", "questions": [ { "type": "text", "name": "b" }, { "type": "text", "name": "c" } ] }
              ] }
            """);
        result.Definition.Questions.Select(q => (q.Id, q.Page)).ShouldBe([("a", 1), ("b", 2), ("c", 2)]);
        result.Paths().ShouldBe(["pages[2].elements[0]"]);
    }

    [Theory]
    [InlineData("elements")]
    [InlineData("questions")]
    public void Top_level_elements_are_one_page(string key)
    {
        var result = Import($$"""{ "title": "T", "{{key}}": [ { "type": "text", "name": "a" }, { "type": "text", "name": "b" } ] }""");
        result.Unsupported.ShouldBeEmpty();
        result.Definition.Questions.Select(q => (q.Id, q.Page)).ShouldBe([("a", 1), ("b", 1)]);
    }

    [Fact]
    public void Nested_panel_and_page_conditions_are_and_ed_into_each_question()
    {
        var result = Import("""
            { "title": "T", "pages": [
                { "elements": [ { "type": "text", "name": "x" } ] },
                { "visibleIf": "{x} = 1", "elements": [
                  { "type": "panel", "name": "outer", "visibleIf": "{x} notempty", "elements": [
                    { "type": "panel", "name": "inner", "elements": [
                      { "type": "panel", "name": "innermost", "visibleIf": "{x} < 5", "elements": [ { "type": "text", "name": "a", "visibleIf": "{x} > 0 or {x} = -1" } ] },
                      { "type": "text", "name": "b" } ] } ] },
                  { "type": "text", "name": "c" } ] }
              ] }
            """);
        result.Unsupported.ShouldBeEmpty();
        result.Definition.Questions.Select(q => (q.Id, q.VisibleIf, q.Page)).ShouldBe(
        [
            ("x", null, 1),
            ("a", "({x} = 1) and ({x} notempty) and ({x} < 5) and ({x} > 0 or {x} = -1)", 2),
            ("b", "({x} = 1) and ({x} notempty)", 2),
            ("c", "{x} = 1", 2),
        ]);
    }

    [Fact]
    public void Hidden_pages_and_panels_are_skipped_and_container_extras_reported()
    {
        var result = Import("""
            { "title": "T", "pages": [
                { "visible": false, "elements": [ { "type": "text", "name": "a" } ] },
                { "title": "Page", "elements": [
                  { "type": "panel", "visible": false, "elements": [ { "type": "text", "name": "b" } ] },
                  { "type": "panel", "isRequired": true, "requiredIf": "{c} = 1", "questionsOrder": "random", "elements": [ { "type": "text", "name": "c" } ] } ] }
              ] }
            """);
        result.Definition.Questions.Select(q => (q.Id, q.Page)).ShouldBe([("c", 1)]);
        result.Paths().ShouldBe(
        [
            "pages[0].visible", "pages[1].elements[0].visible", "pages[1].elements[1].isRequired",
            "pages[1].elements[1].questionsOrder", "pages[1].elements[1].requiredIf", "pages[1].title",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_visibleIf_overrides_visible_false_on_pages_and_panels()
    {
        var result = Import("""
            { "title": "T", "pages": [
                { "elements": [ { "type": "text", "name": "x" } ] },
                { "visible": false, "visibleIf": "{x} = 1", "elements": [
                  { "type": "panel", "visible": false, "visibleIf": "{x} = 2", "elements": [ { "type": "text", "name": "a" } ] } ] }
              ] }
            """);
        result.Unsupported.ShouldBeEmpty();
        result.Definition.Questions[1].VisibleIf.ShouldBe("({x} = 1) and ({x} = 2)");
    }

    [Fact]
    public void Locale_keys_map_to_our_tags_and_every_locale_is_listed_default_first()
    {
        var result = Import("""
            { "title": { "zh-cn": "标题", "default": "Title", "pt-br": "Título" },
              "elements": [ { "type": "text", "name": "a", "title": { "default": "A", "de": "A (de)", "zh-tw": "甲" } } ] }
            """);
        result.Unsupported.ShouldBeEmpty();
        result.Definition.DefaultLocale.ShouldBe("en");
        result.Definition.Locales.ShouldBe(["en", "zh-CN", "pt-BR", "de", "zh-TW"]);
        result.Definition.Title.ShouldBe(new LocalizedText { ["en"] = "Title", ["zh-CN"] = "标题", ["pt-BR"] = "Título" });
    }

    [Theory]
    [InlineData("en", null, "en")]
    [InlineData("zh-CN", null, "zh-CN")]
    [InlineData("zh-cn", null, "zh-CN")]
    [InlineData("en", "zh-cn", "zh-CN")]
    [InlineData("en", "de", "de")]
    public void Default_texts_are_in_the_json_locale_else_the_given_one(string defaultLocale, string? jsonLocale, string expected)
    {
        var locale = jsonLocale is null ? "" : $"\"locale\": \"{jsonLocale}\",";
        var result = Import($$"""{ {{locale}} "title": "Titel", "elements": [ { "type": "text", "name": "a", "title": "Frage" } ] }""", defaultLocale);
        result.Definition.DefaultLocale.ShouldBe(expected);
        result.Definition.Locales.ShouldBe([expected]);
        result.Definition.Questions[0].Text.ShouldBe(LocalizedText.Of(expected, "Frage"));
        QuestionnaireValidator.Validate(result.Definition).ShouldBeEmpty();
    }

    [Fact]
    public void Locale_conflicts_and_unknown_locales_are_reported()
    {
        var result = Import("""{ "locale": "xx-nope", "title": { "default": "A", "en": "B", "klingon-x": "C" }, "elements": [ { "type": "text", "name": "a" } ] }""");
        result.Definition.Title.ShouldBe(LocalizedText.Of("en", "B"));
        result.Definition.Locales.ShouldBe(["en"]);
        result.Paths().ShouldBe(["locale", "title.klingon-x", "title.default"], ignoreOrder: true);
    }

    [Fact]
    public void Survey_level_features_are_reported_layout_is_not()
    {
        var result = Import("""
            { "title": "T", "elements": [ { "type": "text", "name": "a" } ],
              "triggers": [ { "type": "complete", "expression": "{a} = 1" } ], "calculatedValues": [ { "name": "v", "expression": "1" } ],
              "completedHtml": "<p>Thanks</p>", "showPrevButton": false, "firstPageIsStartPage": true, "timeLimit": 60,
              "showQuestionNumbers": "on", "progressBarType": "questions", "widthMode": "static", "$schema": "https://unpkg.com/survey-core/surveyjs_definition.json" }
            """);
        result.Paths().ShouldBe(["triggers", "calculatedValues", "completedHtml", "showPrevButton", "firstPageIsStartPage", "timeLimit"], ignoreOrder: true);
    }

    [Fact]
    public void A_survey_without_a_title_gets_a_placeholder_title()
    {
        var result = Import("""{ "elements": [ { "type": "text", "name": "a" } ] }""");
        result.Definition.Title.ShouldBe(En("Untitled survey"));
        result.Paths().ShouldBe(["title"]);
        QuestionnaireValidator.Validate(result.Definition).ShouldBeEmpty();
    }
}
