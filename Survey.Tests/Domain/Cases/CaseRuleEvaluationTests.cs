using Survey.Domain.Cases;
using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Domain.Cases;

public class CaseRuleEvaluationTests
{
    private static readonly Question Csat = new("sat", QuestionType.Csat, Text("How satisfied?"), Key: "overall_csat");
    private static readonly Question Visit = new("visit", QuestionType.SingleChoice, Text("Why did you come?"), Choices: [new("repair", Text("Repair")), new("service", Text("Service"))]);
    private static readonly QuestionnaireDefinition Survey = Definition(Nps(), WhatWentWrong(), Comment(), Csat, Visit);

    private static CaseRule Rule(string name, CaseCondition condition, bool active = true) =>
        CaseRuleDecider.Evolve(null, new CaseRuleDefined(Guid.NewGuid(), 1, new CaseRuleDefinition(name, condition, active), Now));

    private static Dictionary<string, Answer> Answers(int? nps = null, int? csat = null, string[]? wrong = null, string? comment = null, string? visit = null)
    {
        var answers = new Dictionary<string, Answer>();
        if (nps is { } n) answers["nps"] = new Answer(Number: n);
        if (csat is { } c) answers["sat"] = new Answer(Number: c);
        if (wrong is not null) answers["wrong"] = new Answer(Choices: wrong);
        if (comment is not null) answers["comment"] = new Answer(Text: comment);
        if (visit is not null) answers["visit"] = new Answer(Text: visit);
        return answers;
    }

    private static string? Reason(CaseCondition condition, Dictionary<string, Answer> answers) => CaseRuleEvaluation.Reason(condition, Survey, answers);

    [Theory]
    [InlineData(0, true)]
    [InlineData(6, true)]
    [InlineData(7, false)]
    [InlineData(10, false)]
    public void Nps_at_most_6_opens_a_case_for_detractors_only(int score, bool opens)
    {
        (Reason(new(CaseConditionKind.NpsAtMost, Threshold: 6), Answers(nps: score)) is not null).ShouldBe(opens);
    }

    [Fact]
    public void Csat_at_most_2_matches_1_and_2_and_names_the_question_key()
    {
        Reason(new(CaseConditionKind.CsatAtMost, Threshold: 2), Answers(csat: 2)).ShouldBe("CSAT 2 on 'overall_csat' is at most 2.");
        Reason(new(CaseConditionKind.CsatAtMost, Threshold: 2), Answers(csat: 3)).ShouldBeNull();
        Reason(new(CaseConditionKind.CsatAtMost, Threshold: 2, QuestionKey: "overall_csat"), Answers(csat: 1)).ShouldNotBeNull();
        Reason(new(CaseConditionKind.CsatAtMost, Threshold: 2, QuestionKey: "other"), Answers(csat: 1)).ShouldBeNull();
    }

    [Fact]
    public void A_chosen_answer_matches_single_and_multiple_choice_by_value()
    {
        Reason(new(CaseConditionKind.ChoiceSelected, QuestionKey: "wrong", Choice: "wait"), Answers(nps: 3, wrong: ["price", "wait"])).ShouldBe("'wait' was chosen on 'wrong'.");
        Reason(new(CaseConditionKind.ChoiceSelected, QuestionKey: "wrong", Choice: "wait"), Answers(nps: 3, wrong: ["price"])).ShouldBeNull();
        Reason(new(CaseConditionKind.ChoiceSelected, QuestionKey: "visit", Choice: "repair"), Answers(visit: "repair")).ShouldNotBeNull();
        Reason(new(CaseConditionKind.ChoiceSelected, QuestionKey: "visit", Choice: "repair"), Answers(visit: "service")).ShouldBeNull();
    }

    [Theory]
    [InlineData("The advisor was RUDE to me", "rude", true)]
    [InlineData("The advisor was ＲＵＤＥ to me", "rude", true)] // full-width letters, as typed on Chinese keyboards
    [InlineData("服务态度差，等了两个小时", "态度差", true)]
    [InlineData("服务很好", "态度差", false)]
    [InlineData("crude oil", "Rude ", true)] // substring matching, documented: keywords are substrings
    [InlineData("all fine", "rude", false)]
    public void Keywords_match_free_text_case_insensitively_in_Chinese_and_English(string text, string keyword, bool opens)
    {
        (Reason(new(CaseConditionKind.TextContains, Keywords: [keyword]), Answers(comment: text)) is not null).ShouldBe(opens);
    }

    [Fact]
    public void The_reason_quotes_the_keyword_never_the_respondents_words()
    {
        var reason = Reason(new(CaseConditionKind.TextContains, Keywords: ["refund", "退款"]), Answers(comment: "我要退款，王先生 13812345678"))!;
        reason.ShouldBe("The answer to 'comment' mentions '退款'.");
        reason.ShouldNotContain("1381");
    }

    [Fact]
    public void Unanswered_questions_never_match_and_inactive_or_retired_rules_are_skipped()
    {
        Reason(new(CaseConditionKind.NpsAtMost, Threshold: 6), Answers(csat: 1)).ShouldBeNull();
        var detractors = Rule("Detractors", new(CaseConditionKind.NpsAtMost, Threshold: 6));
        var paused = Rule("Paused", new(CaseConditionKind.NpsAtMost, Threshold: 6), active: false);
        var retired = CaseRuleDecider.Evolve(Rule("Retired", new(CaseConditionKind.NpsAtMost, Threshold: 6)), new CaseRuleRetired(Guid.NewGuid(), Now));
        var unhappy = Rule("Angry words", new(CaseConditionKind.TextContains, Keywords: ["angry"]));
        var matched = CaseRuleEvaluation.Match([unhappy, retired, paused, detractors], Survey, Answers(nps: 2, comment: "I am ANGRY"));
        matched.Select(m => m.RuleName).ShouldBe(["Angry words", "Detractors"]);
        matched.ShouldAllBe(m => m.RuleVersion == 1);
    }
}

public class CaseRuleDeciderTests
{
    private static readonly Guid RuleId = Guid.NewGuid();

    [Fact]
    public void Every_change_is_a_new_version_and_an_unchanged_save_records_nothing()
    {
        var definition = new CaseRuleDefinition("Detractors", new(CaseConditionKind.NpsAtMost, Threshold: 6));
        var v1 = (CaseRuleDefined)CaseRuleDecider.Define(null, RuleId, definition, Now).ShouldHaveSingleItem();
        var state = CaseRuleDecider.Evolve(null, v1);
        CaseRuleDecider.Define(state, RuleId, definition, Now).ShouldBeEmpty();
        var v2 = (CaseRuleDefined)CaseRuleDecider.Define(state, RuleId, definition with { Condition = new(CaseConditionKind.NpsAtMost, Threshold: 4) }, Now).ShouldHaveSingleItem();
        v2.RuleVersion.ShouldBe(2);
        var retired = CaseRuleDecider.Evolve(CaseRuleDecider.Evolve(state, v2), CaseRuleDecider.Retire(CaseRuleDecider.Evolve(state, v2), Now)[0]);
        retired.Live.ShouldBeFalse();
        Should.Throw<RuleViolationException>(() => CaseRuleDecider.Define(retired, RuleId, definition, Now)).Code.ShouldBe("rule-retired");
    }

    [Fact]
    public void Bad_rules_are_reported_by_field_path()
    {
        Paths(new("", new(CaseConditionKind.NpsAtMost, Threshold: 10))).ShouldBe(["name", "condition.threshold"]);
        Paths(new("x", new(CaseConditionKind.CsatAtMost))).ShouldBe(["condition.threshold"]);
        Paths(new("x", new(CaseConditionKind.ChoiceSelected))).ShouldBe(["condition.questionKey", "condition.choice"]);
        Paths(new("x", new(CaseConditionKind.TextContains, Keywords: ["ok", " "]))).ShouldBe(["condition.keywords[1]"]);
        Paths(new("x", new(CaseConditionKind.TextContains))).ShouldBe(["condition.keywords"]);
    }

    private static IEnumerable<string> Paths(CaseRuleDefinition definition) =>
        Should.Throw<InvalidInputException>(() => CaseRuleDecider.Define(null, RuleId, definition, Now)).Problems.Select(p => p.Path);
}
