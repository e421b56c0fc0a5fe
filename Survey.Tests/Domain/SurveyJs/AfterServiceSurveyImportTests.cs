using System.Text.Json.Nodes;
using Survey.Domain.Questionnaires;
using Survey.Domain.Questionnaires.Logic;
using Survey.Domain.Questionnaires.SurveyJs;

namespace Survey.Tests.Domain.SurveyJs;

/// <summary>A realistic dealer after-service survey as exported from SurveyJS Creator (Fixtures/surveyjs/after-service-csat.json).</summary>
public class AfterServiceSurveyImportTests
{
    private static readonly SurveyJsImportResult Result = SurveyJsImporter.Import(
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "surveyjs", "after-service-csat.json")))!);

    private static QuestionnaireDefinition Definition => Result.Definition;

    private static LocalizedText T(string en, string zh) => new() { ["en"] = en, ["zh-CN"] = zh };

    private static Question Q(string id) => Definition.Find(id) ?? throw new InvalidOperationException($"No question '{id}'.");

    [Fact]
    public void Survey_texts_and_locales()
    {
        Definition.DefaultLocale.ShouldBe("en");
        Definition.Locales.ShouldBe(["en", "zh-CN"]);
        Definition.Title.ShouldBe(T("Your service visit at {dealer.name}", "您在{dealer.name}的售后服务体验"));
        Definition.Description.ShouldBe(T("Two minutes of your time help us improve our workshop.", "请花两分钟时间帮助我们改进服务。"));
    }

    [Fact]
    public void Questions_in_order_with_their_pages()
    {
        Definition.Questions.Select(q => (q.Id, q.Type, q.Page)).ShouldBe(
        [
            ("nps", QuestionType.Nps, 1),
            ("what_went_wrong", QuestionType.MultipleChoice, 1),
            ("nps_reason", QuestionType.FreeText, 1),
            ("csat_service", QuestionType.Csat, 2),
            ("ces", QuestionType.Ces, 2),
            ("service_type", QuestionType.SingleChoice, 2),
            ("advisor_issue", QuestionType.SingleChoice, 2),
            ("advisor_name", QuestionType.FreeText, 2),
            ("may_contact", QuestionType.SingleChoice, 3),
            ("contact_note", QuestionType.FreeText, 3),
        ]);
    }

    [Fact]
    public void Scales_have_fixed_ranges_and_end_labels()
    {
        Q("nps").ShouldBe(new Question("nps", QuestionType.Nps,
            T("How likely are you to recommend {dealer.name} to a friend or colleague?", "您向朋友或同事推荐{dealer.name}的可能性有多大？"),
            Required: true, MinLabel: T("Not at all likely", "完全不可能"), MaxLabel: T("Extremely likely", "非常可能"), Page: 1));
        Q("csat_service").ShouldBe(new Question("csat_service", QuestionType.Csat,
            T("Overall, how satisfied are you with the service you received?", "总体而言，您对所获得的服务满意吗？"),
            Required: true, MinLabel: T("Very dissatisfied", "非常不满意"), MaxLabel: T("Very satisfied", "非常满意"), Page: 2));
        Q("ces").ShouldBe(new Question("ces", QuestionType.Ces,
            T("How easy was it to book your service appointment?", "预约保养有多容易？"),
            MinLabel: T("Very difficult", "非常困难"), MaxLabel: T("Very easy", "非常容易"), Page: 2));
    }

    [Fact]
    public void Checkbox_shown_to_detractors()
    {
        Q("what_went_wrong").ShouldBe(new Question("what_went_wrong", QuestionType.MultipleChoice,
            T("What went wrong?", "哪些方面让您不满意？"), Description: T("Choose up to three.", "最多选择三项。"),
            Required: true, VisibleIf: "{nps} <= 6", MaxChoices: 3, Page: 1,
            Choices:
            [
                new("waiting_time", T("Waiting time", "等待时间")),
                new("price", T("Price", "价格")),
                new("communication", T("Communication with the advisor", "与服务顾问的沟通")),
                new("repair_quality", T("Quality of the repair", "维修质量")),
                new("cleanliness", T("Vehicle cleanliness", "车辆清洁")),
            ]));
    }

    [Fact]
    public void Comment_required_for_detractors_keeps_piping()
    {
        Q("nps_reason").ShouldBe(new Question("nps_reason", QuestionType.FreeText,
            T("What is the main reason for your score of {nps}?", "您给出{nps}分的主要原因是什么？"),
            RequiredIf: "{nps} <= 6", MaxLength: 1000, Page: 1));
    }

    [Fact]
    public void Dropdown_keeps_its_static_choices()
    {
        Q("service_type").ShouldBe(new Question("service_type", QuestionType.SingleChoice,
            T("What was the purpose of your visit?", "您此次到店的目的是什么？"), Page: 2,
            Choices:
            [
                new("maintenance", T("Scheduled maintenance", "定期保养")),
                new("repair", T("Repair", "维修")),
                new("warranty", T("Warranty work", "保修")),
                new("tyres", T("Tyre change", "更换轮胎")),
            ]));
    }

    [Fact]
    public void Panel_is_flattened_and_its_condition_and_ed_into_each_question()
    {
        Q("advisor_issue").VisibleIf.ShouldBe("({csat_service} <= 3) and ({ces} <= 3 or {nps} <= 6)");
        Q("advisor_issue").Required.ShouldBeTrue();
        Q("advisor_issue").Choices!.Select(c => c.Value).ShouldBe(["reception", "explanation", "handover"]);
        Q("advisor_name").ShouldBe(new Question("advisor_name", QuestionType.FreeText,
            T("Who was your service advisor?", "您的服务顾问是哪位？"), VisibleIf: "{csat_service} <= 3", MaxLength: 100, Page: 2));
    }

    [Fact]
    public void Boolean_becomes_yes_no_choice_with_true_false_values()
    {
        Q("may_contact").ShouldBe(new Question("may_contact", QuestionType.SingleChoice,
            T("May we contact you about your feedback?", "我们可以就您的反馈与您联系吗？"), Required: true, Page: 3,
            Choices: [new("true", T("Yes", "是")), new("false", T("No", "否"))]));
        Q("contact_note").VisibleIf.ShouldBe("{may_contact} = true");
        Q("contact_note").RequiredIf.ShouldBe("{may_contact} = true and {nps} <= 6");
    }

    [Theory]
    [InlineData("true", 9, true, false)]
    [InlineData("true", 3, true, true)]
    [InlineData("false", 3, false, false)]
    public void Boolean_choice_values_satisfy_SurveyJS_boolean_comparisons(string mayContact, int nps, bool visible, bool required)
    {
        // SurveyJS stores true/false; we store the choice value "true"/"false", which the evaluator must read as the boolean
        var answers = new Dictionary<string, object?> { ["may_contact"] = mayContact, ["nps"] = nps };
        LogicExpression.Parse(Q("contact_note").VisibleIf!).Expression!.IsTrue(answers).ShouldBe(visible);
        LogicExpression.Parse(Q("contact_note").RequiredIf!).Expression!.IsTrue(answers).ShouldBe(required);
        LogicExpression.Parse("{may_contact} = false").Expression!.IsTrue(answers).ShouldBe(!visible);
    }

    [Fact]
    public void Each_unsupported_part_is_reported_by_path()
    {
        Result.Unsupported.Select(i => i.Path).ShouldBe(
        [
            "pages[0].elements[0]",
            "pages[0].title",
            "pages[1].elements[2].choicesByUrl",
            "pages[1].elements[2].placeholder",
            "pages[1].elements[3]",
            "pages[1].elements[4].elements[1].enableIf",
            "pages[1].elements[4].title",
            "pages[1].title",
            "completedHtml",
        ], ignoreOrder: true);
        Reason("pages[0].elements[0]").ShouldContain("'html'");
        Reason("pages[1].elements[3]").ShouldContain("'matrix'");
        Reason("pages[1].elements[2].choicesByUrl").ShouldContain("only the static choices were imported");
        Reason("pages[1].elements[4].elements[1].enableIf").ShouldContain("enableIf");
    }

    [Fact]
    public void The_converted_definition_is_valid()
    {
        QuestionnaireValidator.Validate(Definition).ShouldBeEmpty();
        QuestionnaireValidator.Validate(Definition, forPublish: true).ShouldBeEmpty();
    }

    private static string Reason(string path) => Result.Unsupported.Single(i => i.Path == path).Reason;
}
