using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.SurveyJs.SurveyJsInput;

namespace Survey.Tests.Domain.SurveyJs;

public class TextAndCommonMappingTests
{
    [Theory]
    [InlineData("""{ "type": "comment", "name": "q" }""", null)]
    [InlineData("""{ "type": "comment", "name": "q", "maxLength": 300 }""", 300)]
    [InlineData("""{ "type": "text", "name": "q", "maxLength": 0 }""", null)]
    [InlineData("""{ "type": "text", "name": "q", "maxLength": 80, "validators": [{ "type": "text", "maxLength": 50 }] }""", 50)]
    [InlineData("""{ "type": "text", "name": "q", "validators": [{ "type": "textvalidator", "maxLength": 40 }] }""", 40)]
    public void Free_text_lengths(string element, int? maxLength)
    {
        var result = Elements(element);
        result.Unsupported.ShouldBeEmpty();
        var q = result.Definition.Questions.ShouldHaveSingleItem();
        (q.Type, q.MaxLength).ShouldBe((QuestionType.FreeText, maxLength));
    }

    [Fact]
    public void Survey_max_text_length_applies_where_the_question_sets_none()
    {
        var result = Import("""
            { "title": "T", "maxTextLength": 200,
              "elements": [ { "type": "text", "name": "a" }, { "type": "comment", "name": "b", "maxLength": -1 }, { "type": "comment", "name": "c", "maxLength": 20 } ] }
            """);
        result.Definition.Questions.Select(q => q.MaxLength).ShouldBe([200, 200, 20]);
    }

    [Fact]
    public void Lengths_beyond_our_limit_fall_back_to_it()
    {
        var result = Elements("""{ "type": "comment", "name": "q", "maxLength": 20000 }""");
        result.Definition.Questions.Single().MaxLength.ShouldBeNull();
        result.Paths().ShouldBe(["elements[0].maxLength"]);
    }

    [Fact]
    public void Other_input_types_are_kept_as_free_text_and_reported()
    {
        var result = Elements("""{ "type": "text", "name": "mail", "inputType": "email", "validators": [{ "type": "email" }, { "type": "text", "minLength": 3, "text": "Too short" }] }""");
        result.Definition.Questions.Single().Type.ShouldBe(QuestionType.FreeText);
        result.Paths().ShouldBe(["elements[0].inputType", "elements[0].validators[0]", "elements[0].validators[1].minLength", "elements[0].validators[1].text"]);
    }

    [Fact]
    public void Common_properties()
    {
        var q = Single("""
            { "type": "text", "name": "q", "title": "Title", "description": "Help", "isRequired": true,
              "visibleIf": "{y} > 2", "startWithNewLine": false, "titleLocation": "left", "width": "50%", "indent": 1 }
            """);
        q.ShouldBe(new Question("q", QuestionType.FreeText, En("Title"), En("Help"), Required: true, VisibleIf: "{y} > 2"));
    }

    [Fact]
    public void RequiredIf_and_visibleIf_override_isRequired_and_visible_as_in_SurveyJS()
    {
        var result = Elements("""
            { "type": "text", "name": "x" }, { "type": "text", "name": "y" },
            { "type": "text", "name": "q", "isRequired": true, "requiredIf": "{x} = 1", "visible": false, "visibleIf": "{y} > 2" }
            """);
        result.Unsupported.ShouldBeEmpty();
        var q = result.Definition.Questions[2];
        (q.Required, q.RequiredIf, q.VisibleIf).ShouldBe((false, "{x} = 1", "{y} > 2"));
    }

    [Fact]
    public void A_missing_title_shows_the_name_in_every_locale()
    {
        var result = Import("""{ "title": { "default": "T", "zh-cn": "标题" }, "elements": [ { "type": "comment", "name": "remarks" }, { "type": "comment", "name": "b", "title": { "zh-cn": "备注" } } ] }""");
        result.Definition.Questions[0].Text.ShouldBe(new LocalizedText { ["en"] = "remarks", ["zh-CN"] = "remarks" });
        result.Definition.Questions[1].Text.ShouldBe(new LocalizedText { ["en"] = "b", ["zh-CN"] = "备注" });
    }

    [Fact]
    public void Unsupported_common_properties_are_reported_and_layout_is_not()
    {
        var result = Elements("""
            { "type": "comment", "name": "q", "enableIf": "{a} = 1", "readOnly": true, "defaultValue": "x", "hasComment": true,
              "placeholder": "Type here", "someCustomProperty": 1, "rows": 2, "autoGrow": true, "hideNumber": true, "readOnly2": false }
            """);
        result.Definition.Questions.ShouldHaveSingleItem();
        result.Paths().ShouldBe(
        [
            "elements[0].enableIf", "elements[0].readOnly", "elements[0].hasComment", "elements[0].defaultValue",
            "elements[0].placeholder", "elements[0].someCustomProperty", "elements[0].readOnly2",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Hidden_questions_are_skipped()
    {
        var result = Elements("""{ "type": "text", "name": "hidden", "visible": false }, { "type": "text", "name": "shown", "visible": true }""");
        result.Definition.Questions.Select(q => q.Id).ShouldBe(["shown"]);
        result.Paths().ShouldBe(["elements[0].visible"]);
    }

    [Fact]
    public void Invalid_names_are_renamed_and_references_rewritten()
    {
        var result = Elements("""
            { "type": "rating", "name": "Overall score", "rateMin": 0, "rateMax": 10 },
            { "type": "comment", "name": "1st reason", "title": "Why {Overall score}?", "visibleIf": "{Overall score} <= 6 and {Overall score.x} empty" },
            { "type": "comment", "name": "why", "title": "{ 1st reason }", "requiredIf": "{1st reason} notempty" }
            """);
        result.Definition.Questions.Select(q => q.Id).ShouldBe(["Overall_score", "q_1st_reason", "why"]);
        var reason = result.Definition.Questions[1];
        reason.Text.ShouldBe(En("Why {Overall_score}?"));
        reason.VisibleIf.ShouldBe("{Overall_score} <= 6 and {Overall_score.x} empty");
        result.Definition.Questions[2].Text.ShouldBe(En("{q_1st_reason}"));
        result.Definition.Questions[2].RequiredIf.ShouldBe("{q_1st_reason} notempty");
        result.Paths().ShouldBe(["elements[0].name", "elements[1].name"]);
        result.Unsupported[0].Reason.ShouldContain("'Overall_score'");
    }

    [Fact]
    public void References_take_the_exact_case_of_the_id_as_SurveyJS_matches_names_ignoring_case()
    {
        var result = Elements("""
            { "type": "rating", "name": "NPS", "rateMin": 0, "rateMax": 10 },
            { "type": "comment", "name": "why", "title": "You gave {nps} at {dealer.name}", "visibleIf": "{nps} <= 6 and {#Nps} notempty" }
            """);
        result.Unsupported.ShouldBeEmpty();
        var why = result.Definition.Questions[1];
        why.Text.ShouldBe(En("You gave {NPS} at {dealer.name}"));
        why.VisibleIf.ShouldBe("{NPS} <= 6 and {#NPS} notempty");
    }

    [Fact]
    public void Repeated_names_get_a_suffix()
    {
        var result = Elements("""{ "type": "text", "name": "q" }, { "type": "text", "name": "q" }, { "type": "text", "name": "q_2" }""");
        result.Definition.Questions.Select(q => q.Id).ShouldBe(["q", "q_3", "q_2"]);
        result.Paths().ShouldBe(["elements[1].name"]);
        QuestionnaireValidator.Validate(result.Definition).ShouldBeEmpty();
    }

    [Fact]
    public void References_to_questions_not_imported_are_reported()
    {
        var result = Elements("""
            { "type": "matrix", "name": "grid" },
            { "type": "comment", "name": "q", "title": "About {grid} at {dealer.name}", "visibleIf": "{grid.row1} = 1 or {missing} = 2" }
            """);
        result.Paths().ShouldBe(["elements[0]", "elements[1].visibleIf", "elements[1].visibleIf", "elements[1].title"]);
        result.Definition.Questions.Single().VisibleIf.ShouldBe("{grid.row1} = 1 or {missing} = 2");
    }
}
