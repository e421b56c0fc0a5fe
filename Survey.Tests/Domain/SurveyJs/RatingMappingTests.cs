using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.SurveyJs.SurveyJsInput;

namespace Survey.Tests.Domain.SurveyJs;

public class RatingMappingTests
{
    [Theory]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": 0, "rateMax": 10 }""", QuestionType.Nps, null, null)]
    [InlineData("""{ "type": "rating", "name": "likely", "rateMin": 0, "rateCount": 11 }""", QuestionType.Nps, null, null)]
    [InlineData("""{ "type": "rating", "name": "r" }""", QuestionType.Rating, 1, 5)]
    [InlineData("""{ "type": "rating", "name": "csat" }""", QuestionType.Csat, null, null)]
    [InlineData("""{ "type": "rating", "name": "r", "title": "How satisfied are you?", "rateMax": 5 }""", QuestionType.Csat, null, null)]
    [InlineData("""{ "type": "rating", "name": "r", "title": { "default": "Service?", "zh-cn": "您对服务满意吗？" } }""", QuestionType.Csat, null, null)]
    [InlineData("""{ "type": "rating", "name": "quality", "title": "Rate the quality" }""", QuestionType.Rating, 1, 5)]
    [InlineData("""{ "type": "rating", "name": "q_ces", "rateMax": 7 }""", QuestionType.Ces, null, null)]
    [InlineData("""{ "type": "rating", "name": "CESScore", "rateMax": 7 }""", QuestionType.Ces, null, null)]
    [InlineData("""{ "type": "rating", "name": "r", "title": "How much effort did it take?", "rateMax": 7 }""", QuestionType.Ces, null, null)]
    [InlineData("""{ "type": "rating", "name": "services", "rateMax": 7 }""", QuestionType.Rating, 1, 7)]
    [InlineData("""{ "type": "rating", "name": "csat", "rateMax": 7 }""", QuestionType.Rating, 1, 7)]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": 1, "rateMax": 10 }""", QuestionType.Rating, 1, 10)]
    [InlineData("""{ "type": "rating", "name": "r", "rateMax": 10, "rateCount": 6 }""", QuestionType.Rating, 5, 10)]
    [InlineData("""{ "type": "rating", "name": "r", "rateCount": 7 }""", QuestionType.Rating, 1, 5)] // rateCount alone is ignored by SurveyJS
    [InlineData("""{ "type": "rating", "name": "r", "rateValues": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }""", QuestionType.Nps, null, null)]
    [InlineData("""{ "type": "rating", "name": "csat", "rateValues": ["1", "2", "3", "4", "5"], "rateMax": 10 }""", QuestionType.Csat, null, null)]
    [InlineData("""{ "type": "rating", "name": "r", "rateValues": [{ "value": 2 }, { "value": 3 }, { "value": 4 }] }""", QuestionType.Rating, 2, 4)]
    [InlineData("""{ "type": "rating", "name": "r", "autoGenerate": true, "rateValues": ["a", "b"], "rateMin": 0, "rateMax": 4 }""", QuestionType.Rating, 0, 4)]
    public void Rating_scales(string element, QuestionType type, int? scaleMin, int? scaleMax)
    {
        var result = Elements(element);
        result.Unsupported.ShouldBeEmpty();
        var q = result.Definition.Questions.ShouldHaveSingleItem();
        (q.Type, q.ScaleMin, q.ScaleMax).ShouldBe((type, scaleMin, scaleMax));
    }

    [Fact]
    public void Rate_descriptions_are_end_labels_including_the_old_misspelt_names()
    {
        var q = Single("""{ "type": "rating", "name": "r", "mininumRateDescription": "Bad", "maximumRateDescription": { "default": "Good" } }""");
        q.MinLabel.ShouldBe(En("Bad"));
        q.MaxLabel.ShouldBe(En("Good"));
    }

    [Fact]
    public void Rate_values_with_their_own_texts_keep_the_scale_and_report_the_texts()
    {
        var result = Elements("""{ "type": "rating", "name": "r", "rateValues": [{ "value": 1, "text": "Poor" }, 2, { "value": 3, "text": "Great" }] }""");
        var q = result.Definition.Questions.ShouldHaveSingleItem();
        (q.Type, q.ScaleMin, q.ScaleMax).ShouldBe((QuestionType.Rating, 1, 3));
        result.Paths().ShouldBe(["elements[0].rateValues"]);
    }

    [Fact]
    public void Rate_values_that_are_not_a_scale_become_a_single_choice()
    {
        var result = Elements("""{ "type": "rating", "name": "mood", "rateValues": [{ "value": "sad", "text": "Sad" }, "ok", { "value": "happy", "text": "Happy" }], "minRateDescription": "Low" }""");
        var q = result.Definition.Questions.ShouldHaveSingleItem();
        q.Type.ShouldBe(QuestionType.SingleChoice);
        q.Choices!.Select(c => (c.Value, c.Text.In("en"))).ShouldBe([("sad", "Sad"), ("ok", "ok"), ("happy", "Happy")]);
        q.MinLabel.ShouldBeNull();
        result.Paths().ShouldBe(["elements[0].rateValues", "elements[0].minRateDescription"]);
    }

    [Theory]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": 0, "rateMax": 10, "rateStep": 2 }""", "elements[0].rateStep")]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": 0.5, "rateMax": 5 }""", "elements[0].rateMin")]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": 0, "rateMax": 50 }""", "elements[0]")]
    [InlineData("""{ "type": "rating", "name": "r", "rateMin": -5, "rateMax": 5 }""", "elements[0]")]
    public void Unsupported_scales_are_skipped(string element, string path)
    {
        var result = Elements(element);
        result.Definition.Questions.ShouldBeEmpty();
        result.Paths().ShouldContain(path);
    }
}
