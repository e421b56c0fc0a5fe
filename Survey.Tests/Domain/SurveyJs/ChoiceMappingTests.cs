using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.SurveyJs.SurveyJsInput;

namespace Survey.Tests.Domain.SurveyJs;

public class ChoiceMappingTests
{
    [Theory]
    [InlineData("radiogroup", QuestionType.SingleChoice)]
    [InlineData("dropdown", QuestionType.SingleChoice)]
    [InlineData("checkbox", QuestionType.MultipleChoice)]
    [InlineData("tagbox", QuestionType.MultipleChoice)]
    [InlineData("RadioGroup", QuestionType.SingleChoice)]
    public void Select_types(string type, QuestionType expected)
    {
        var q = Single($$"""{ "type": "{{type}}", "name": "q", "choices": ["a", "b"] }""");
        q.Type.ShouldBe(expected);
        q.Choices!.Select(c => c.Value).ShouldBe(["a", "b"]);
    }

    [Fact]
    public void Plain_values_are_their_own_text_in_every_locale()
    {
        var result = Import("""
            { "title": { "default": "T", "zh-cn": "标题" },
              "elements": [ { "type": "radiogroup", "name": "q", "choices": ["a", 2, 2.5, true, { "value": 7 }, { "value": "x", "text": { "default": "Ex", "zh-cn": "叉" } }] } ] }
            """);
        result.Unsupported.ShouldBeEmpty();
        var choices = result.Definition.Questions.ShouldHaveSingleItem().Choices!;
        choices.Select(c => c.Value).ShouldBe(["a", "2", "2.5", "true", "7", "x"]);
        choices[1].Text.ShouldBe(new LocalizedText { ["en"] = "2", ["zh-CN"] = "2" });
        choices[5].Text.ShouldBe(new LocalizedText { ["en"] = "Ex", ["zh-CN"] = "叉" });
    }

    [Fact]
    public void Checkbox_limits()
    {
        var q = Single("""{ "type": "checkbox", "name": "q", "choices": ["a", "b", "c"], "minSelectedChoices": 1, "maxSelectedChoices": 2 }""");
        (q.MinChoices, q.MaxChoices).ShouldBe((1, 2));
        var unlimited = Single("""{ "type": "checkbox", "name": "q", "choices": ["a"], "maxSelectedChoices": 0 }""");
        (unlimited.MinChoices, unlimited.MaxChoices).ShouldBe((null, null));
    }

    [Fact]
    public void Answer_count_validator_tightens_the_limits()
    {
        var result = Elements("""{ "type": "checkbox", "name": "q", "choices": ["a", "b", "c"], "maxSelectedChoices": 3, "validators": [{ "type": "answercount", "minCount": 2, "maxCount": 2 }] }""");
        result.Unsupported.ShouldBeEmpty();
        var q = result.Definition.Questions.Single();
        (q.MinChoices, q.MaxChoices).ShouldBe((2, 2));
    }

    [Fact]
    public void Other_and_none_become_ordinary_choices_with_an_issue_for_what_is_lost()
    {
        var result = Elements("""
            { "type": "checkbox", "name": "q", "choices": ["a"], "hasNone": true, "showOtherItem": true, "otherText": "Something else" },
            { "type": "radiogroup", "name": "r", "choices": ["a"], "showNoneItem": true, "hasOther": true }
            """);
        var (checkbox, radio) = (result.Definition.Questions[0], result.Definition.Questions[1]);
        checkbox.Choices!.Select(c => (c.Value, c.Text.In("en"))).ShouldBe([("a", "a"), ("none", "None"), ("other", "Something else")]);
        radio.Choices!.Select(c => (c.Value, c.Text.In("en"))).ShouldBe([("a", "a"), ("none", "None"), ("other", "Other")]);
        result.Paths().ShouldBe(["elements[0].hasNone", "elements[0].showOtherItem", "elements[1].hasOther"]);
    }

    [Fact]
    public void Choices_by_url_or_from_another_question_without_static_choices_skip_the_question()
    {
        var result = Elements("""
            { "type": "dropdown", "name": "model", "choicesByUrl": { "url": "https://example.com/models" } },
            { "type": "checkbox", "name": "copy", "choicesFromQuestion": "model", "choicesFromQuestionMode": "selected" },
            { "type": "dropdown", "name": "kept", "choices": ["x"], "choicesByUrl": { "url": "https://example.com/models" } }
            """);
        result.Definition.Questions.Select(q => q.Id).ShouldBe(["kept"]);
        result.Paths().ShouldBe(["elements[0].choicesByUrl", "elements[1].choicesFromQuestion", "elements[2].choicesByUrl"]);
        result.Unsupported[0].Reason.ShouldContain("skipped");
        result.Unsupported[2].Reason.ShouldContain("only the static choices");
    }

    [Fact]
    public void Dropdown_generates_numbers_from_choices_min_and_max()
    {
        Single("""{ "type": "dropdown", "name": "year", "choices": ["older"], "choicesMin": 2020, "choicesMax": 2023 }""")
            .Choices!.Select(c => c.Value).ShouldBe(["older", "2020", "2021", "2022", "2023"]);
    }

    [Fact]
    public void Choice_problems_are_reported_per_choice()
    {
        var result = Elements("""
            { "type": "radiogroup", "name": "q", "choicesOrder": "random",
              "choices": ["a", "a", { "text": "no value" }, { "value": "b", "visibleIf": "{x} = 1", "price": 3 }, [1], ""] }
            """);
        result.Definition.Questions.Single().Choices!.Select(c => c.Value).ShouldBe(["a", "b"]);
        result.Paths().ShouldBe(
        [
            "elements[0].choices[1]", "elements[0].choices[2]", "elements[0].choices[3].visibleIf", "elements[0].choices[3].price",
            "elements[0].choices[4]", "elements[0].choices[5]", "elements[0].choicesOrder",
        ], ignoreOrder: true);
    }

    [Fact]
    public void Boolean_is_a_yes_no_choice_between_true_and_false()
    {
        var q = Single("""{ "type": "boolean", "name": "ok" }""");
        q.Type.ShouldBe(QuestionType.SingleChoice);
        q.Choices!.Select(c => (c.Value, c.Text.In("en"))).ShouldBe([("true", "Yes"), ("false", "No")]);
    }

    [Fact]
    public void Boolean_labels_values_and_order()
    {
        var result = Import("""
            { "title": "T", "locale": "zh-cn",
              "elements": [
                { "type": "boolean", "name": "a" },
                { "type": "boolean", "name": "b", "labelTrue": { "default": "同意", "en": "Agree" }, "labelFalse": "不同意", "valueTrue": "Y", "valueFalse": 0, "swapOrder": true }
              ] }
            """);
        result.Unsupported.ShouldBeEmpty();
        result.Definition.Locales.ShouldBe(["zh-CN", "en"]);
        var (a, b) = (result.Definition.Questions[0], result.Definition.Questions[1]);
        a.Choices.ShouldBe([new("true", new LocalizedText { ["zh-CN"] = "是", ["en"] = "Yes" }), new("false", new LocalizedText { ["zh-CN"] = "否", ["en"] = "No" })]);
        b.Choices.ShouldBe([new("0", LocalizedText.Of("zh-CN", "不同意")), new("Y", new LocalizedText { ["zh-CN"] = "同意", ["en"] = "Agree" })]);
    }
}
