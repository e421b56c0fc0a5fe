using Survey.Domain.Common;
using Survey.Domain.Questionnaires;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Domain.Questionnaires;

public class QuestionnaireDeciderTests
{
    [Fact]
    public void Given_nothing_When_created_Then_draft_version_1()
    {
        var created = QuestionnaireSpec.Given().When(new CreateQuestionnaire(Id, Definition(Nps()))).Then<QuestionnaireCreated>();
        var state = QuestionnaireDecider.Evolve(null, created);
        state.Status.ShouldBe(QuestionnaireStatus.Draft);
        state.DraftVersion.ShouldBe(1);
        state.LatestPublishedVersion.ShouldBeNull();
        state.Draft.Questions.Single().Id.ShouldBe("nps");
    }

    [Fact]
    public void Given_existing_When_created_again_Then_rejected()
    {
        QuestionnaireSpec.Given(Created()).When(new CreateQuestionnaire(Id, Definition())).ThenRejected<RuleViolationException>().Code.ShouldBe("already-exists");
    }

    [Fact]
    public void Given_draft_When_question_added_Then_appended()
    {
        var added = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(WhatWentWrong())).Then<QuestionAdded>();
        added.Position.ShouldBe(1);
        added.Question.VisibleIf.ShouldBe("{nps} <= 6");
    }

    [Fact]
    public void Given_draft_When_question_with_duplicate_id_added_Then_rejected_with_path()
    {
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(Nps())).ThenRejected<InvalidInputException>();
        error.Problems.ShouldContain(p => p.Path == "questions[1].id" && p.Code == "duplicate-id");
    }

    [Fact]
    public void Given_draft_When_question_breaks_several_rules_Then_every_problem_is_reported()
    {
        var broken = new Question("bad", QuestionType.SingleChoice, Text("Pick"), VisibleIf: "{ghost} = 1 and {nps} >",
            Choices: [], MaxLength: 5);
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(broken)).ThenRejected<InvalidInputException>();
        error.Problems.Select(p => p.Code).ShouldBe(["empty-choices", "not-applicable", "missing-operand"], ignoreOrder: true, customMessage: string.Join("; ", error.Problems));
    }

    [Fact]
    public void Given_draft_When_logic_refers_to_unknown_question_Then_rejected()
    {
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(WhatWentWrong(visibleIf: "{csat} <= 2"))).ThenRejected<InvalidInputException>();
        error.Problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.Path.ShouldBe("questions[1].visibleIf"),
            p => p.Code.ShouldBe("unknown-reference"));
    }

    [Fact]
    public void Given_draft_When_logic_refers_to_a_later_question_Then_rejected_as_forward_reference()
    {
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(WhatWentWrong(visibleIf: "{nps} <= 6 and {comment} notempty"), 0))
            .ThenRejected<InvalidInputException>();
        error.Problems.ShouldContain(p => p.Code == "forward-reference" || p.Code == "unknown-reference");
    }

    [Fact]
    public void Given_questions_referring_to_each_other_When_created_Then_cycle_reported()
    {
        var a = WhatWentWrong("a", "{b} anyof ['wait']");
        var b = WhatWentWrong("b", "{a} anyof ['price']");
        var error = QuestionnaireSpec.Given().When(new CreateQuestionnaire(Id, Definition(a, b))).ThenRejected<InvalidInputException>();
        error.Problems.ShouldContain(p => p.Code == "cycle" && p.Message.Contains("a -> b -> a"));
    }

    [Fact]
    public void Given_question_referring_to_itself_Then_cycle_reported()
    {
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new AddQuestion(WhatWentWrong("w", "{w} empty"))).ThenRejected<InvalidInputException>();
        error.Problems.ShouldContain(p => p.Code == "cycle" && p.Path == "questions[1].visibleIf");
    }

    [Fact]
    public void Given_draft_When_question_edited_Then_replaced_and_id_kept()
    {
        var edited = Nps() with { Required = false };
        var e = QuestionnaireSpec.Given(Created(Nps())).When(new EditQuestion("nps", edited)).Then<QuestionEdited>();
        e.Question.Required.ShouldBeFalse();
        QuestionnaireSpec.Given(Created(Nps())).When(new EditQuestion("nps", Nps("other"))).ThenRejected<InvalidInputException>()
            .Problems.ShouldHaveSingleItem().Code.ShouldBe("immutable");
    }

    [Fact]
    public void Given_draft_When_unknown_question_edited_or_removed_Then_not_found()
    {
        QuestionnaireSpec.Given(Created(Nps())).When(new EditQuestion("nope", Nps("nope"))).ThenRejected<NotFoundException>();
        QuestionnaireSpec.Given(Created(Nps())).When(new RemoveQuestion("nope")).ThenRejected<NotFoundException>();
    }

    [Fact]
    public void Given_logic_depends_on_question_When_it_is_removed_Then_conflict()
    {
        QuestionnaireSpec.Given(Created(Nps(), WhatWentWrong())).When(new RemoveQuestion("nps"))
            .ThenRejected<RuleViolationException>().Code.ShouldBe("breaks-logic");
    }

    [Fact]
    public void Given_draft_When_reordered_Then_order_applied_and_broken_orders_refused()
    {
        var spec = QuestionnaireSpec.Given(Created(Nps(), WhatWentWrong(visibleIf: "{nps} <= 6"), Comment()));
        var e = spec.When(new ReorderQuestions(["nps", "wrong", "comment"])).Then<QuestionsReordered>();
        e.Order.ShouldBe(["nps", "wrong", "comment"]);
        spec.When(new ReorderQuestions(["nps", "wrong"])).ThenRejected<InvalidInputException>().Problems.Single().Code.ShouldBe("not-a-permutation");
        spec.When(new ReorderQuestions(["nps", "nps", "comment"])).ThenRejected<InvalidInputException>();
        // putting the follow-up before the question it depends on breaks its logic
        spec.When(new ReorderQuestions(["wrong", "nps", "comment"])).ThenRejected<RuleViolationException>().Code.ShouldBe("breaks-logic");
    }

    [Fact]
    public void Given_draft_When_published_Then_version_1_frozen_and_draft_becomes_version_2()
    {
        var spec = QuestionnaireSpec.Given(Created(Nps(), WhatWentWrong()));
        var published = spec.When(new PublishQuestionnaire()).Then<QuestionnairePublished>();
        published.Version.ShouldBe(1);
        var state = QuestionnaireDecider.Evolve(spec.State(), published);
        state.Status.ShouldBe(QuestionnaireStatus.Published);
        state.DraftVersion.ShouldBe(2);
        state.HasUnpublishedChanges.ShouldBeFalse();
    }

    [Fact]
    public void Given_published_When_nothing_changed_Then_publish_refused()
    {
        var created = Created(Nps());
        QuestionnaireSpec.Given(created, new QuestionnairePublished(Id, 1, created.Definition, Now)).When(new PublishQuestionnaire())
            .ThenRejected<RuleViolationException>().Code.ShouldBe("nothing-to-publish");
    }

    [Fact]
    public void Given_published_When_edited_and_published_again_Then_version_2_and_version_1_untouched()
    {
        var created = Created(Nps());
        var v1 = new QuestionnairePublished(Id, 1, created.Definition, Now);
        var added = new QuestionAdded(Id, Comment(), 1, Now);
        var v2 = QuestionnaireSpec.Given(created, v1, added).When(new PublishQuestionnaire()).Then<QuestionnairePublished>();
        v2.Version.ShouldBe(2);
        v2.Definition.Questions.Count.ShouldBe(2);
        v1.Definition.Questions.Count.ShouldBe(1);
    }

    [Fact]
    public void Given_missing_translation_When_published_Then_rejected_with_each_path()
    {
        var untranslated = new Question("q", QuestionType.Csat, Text("How satisfied are you?"));
        var error = QuestionnaireSpec.Given(Created(Nps(), untranslated)).When(new PublishQuestionnaire()).ThenRejected<InvalidInputException>();
        error.Problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.Path.ShouldBe("questions[1].text.zh-CN"),
            p => p.Code.ShouldBe("missing-translation"));
    }

    [Fact]
    public void Given_empty_draft_When_published_Then_rejected()
    {
        QuestionnaireSpec.Given(Created()).When(new PublishQuestionnaire()).ThenRejected<InvalidInputException>()
            .Problems.ShouldContain(p => p.Code == "empty");
    }

    [Fact]
    public void Given_archived_When_anything_Then_rejected()
    {
        var spec = QuestionnaireSpec.Given(Created(Nps()), new QuestionnaireArchived(Id, Now));
        spec.State()!.Status.ShouldBe(QuestionnaireStatus.Archived);
        spec.When(new AddQuestion(Comment())).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
        spec.When(new PublishQuestionnaire()).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
        spec.When(new ArchiveQuestionnaire()).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
    }

    [Fact]
    public void Given_nothing_When_edited_Then_not_found()
    {
        QuestionnaireSpec.Given().When(new AddQuestion(Nps())).ThenRejected<NotFoundException>();
    }

    [Fact]
    public void Given_draft_When_details_change_to_drop_a_used_locale_Then_rejected()
    {
        var error = QuestionnaireSpec.Given(Created(Nps())).When(new ChangeQuestionnaireDetails(Text("t"), null, "en", ["en"])).ThenRejected<InvalidInputException>();
        error.Problems.ShouldContain(p => p.Path == "questions[0].text.zh-CN" && p.Code == "unknown-locale");
    }

    [Fact]
    public void Piping_placeholders_must_name_data_fields_or_earlier_questions()
    {
        var q = new Question("why", QuestionType.FreeText, Text("You gave {nps}. Why, {customer.name}? {customer.salary} {later} {event.vehicleModel}"), MaxLength: 100);
        var problems = QuestionnaireValidator.Validate(Definition(Nps(), q, Comment("later")));
        problems.Select(p => (p.Code, p.Message.Split('\'')[1])).ShouldBe(
            [("unknown-placeholder", "{customer.salary}"), ("forward-reference", "{later}")], ignoreOrder: true);
    }

    [Theory]
    [InlineData(QuestionType.Nps, null, null, true)]
    [InlineData(QuestionType.Nps, 1, 5, false)]
    [InlineData(QuestionType.Rating, 1, 10, true)]
    [InlineData(QuestionType.Rating, 5, 5, false)]
    [InlineData(QuestionType.Rating, 0, 40, false)]
    [InlineData(QuestionType.FreeText, 1, 5, false)]
    public void Scales_are_fixed_for_scored_types_and_bounded_for_ratings(QuestionType type, int? min, int? max, bool valid)
    {
        var q = new Question("q", type, Text("?"), ScaleMin: min, ScaleMax: max, MaxLength: type == QuestionType.FreeText ? 10 : null);
        QuestionnaireValidator.Validate(Definition(q)).Count.ShouldBe(valid ? 0 : 1);
    }

    [Fact]
    public void Multiple_choice_limits_are_checked()
    {
        var q = WhatWentWrong() with { VisibleIf = null, MinChoices = 3, MaxChoices = 1 };
        QuestionnaireValidator.Validate(Definition(q)).Select(p => p.Path).ShouldBe(["questions[0].minChoices", "questions[0].minChoices"]);
    }

    [Fact]
    public void Logic_may_address_parts_of_an_earlier_answer()
    {
        var q = Comment() with { VisibleIf = "{wrong.length} > 1 or {wrong[0]} = 'wait'", Page = 1 };
        QuestionnaireValidator.Validate(Definition(Nps(), WhatWentWrong(), q)).ShouldBeEmpty();
        QuestionnaireValidator.Validate(Definition(Nps(), WhatWentWrong(), q with { VisibleIf = "{ghost[0]} = 'wait'" }))
            .ShouldHaveSingleItem().Code.ShouldBe("unknown-reference");
    }

    [Fact]
    public void Pages_run_forward()
    {
        var problems = QuestionnaireValidator.Validate(Definition(Comment("c1"), Nps() with { Page = 1 }));
        problems.ShouldHaveSingleItem().Code.ShouldBe("page-order");
    }
}
