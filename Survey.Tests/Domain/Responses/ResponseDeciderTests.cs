using Survey.Domain.Common;
using Survey.Domain.Invitations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Responses;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Domain.Responses;

public class ResponseDeciderTests
{
    private static readonly Guid ResponseId = Guid.Parse("0195f000-0000-7000-8000-0000000000aa");
    private static readonly QuestionnaireDefinition Survey = Definition(Nps(), WhatWentWrong(), Comment() with { RequiredIf = "{wrong} contains 'wait'" });
    private static readonly ResponseSource Link = new(ResponseSourceKind.Link, LinkId: "abc");

    private static ResponseStarted Started() => new(ResponseId, Id, 1, Link, "web", "en", "mobile", null, Now);

    private static Response Given(params object[] events) => events.Aggregate((Response?)null, ResponseDecider.Evolve)!;

    private static object[] When(Response? state, ResponseCommand command) => ResponseDecider.Decide(command, state, Survey, Now.AddMinutes(1));

    private static Dictionary<string, Answer?> Answers(params (string Id, Answer? Answer)[] answers) => answers.ToDictionary(a => a.Id, a => a.Answer);

    [Fact]
    public void Given_nothing_When_started_Then_started_and_a_repeat_decides_nothing()
    {
        var start = new StartResponse(ResponseId, Id, 1, Link, "web", "en", "mobile", null);
        When(null, start).ShouldHaveSingleItem().ShouldBeOfType<ResponseStarted>().QuestionnaireVersion.ShouldBe(1);
        When(Given(Started()), start).ShouldBeEmpty();
        Should.Throw<RuleViolationException>(() => When(Given(Started()), start with { Source = new ResponseSource(ResponseSourceKind.Link, LinkId: "other") }))
            .Code.ShouldBe("response-id-taken");
    }

    [Fact]
    public void Given_started_When_saved_Then_answers_recorded_and_the_same_save_again_decides_nothing()
    {
        var saved = When(Given(Started()), new SaveAnswers(1, Answers(("nps", new Answer(Number: 3))))).ShouldHaveSingleItem().ShouldBeOfType<ResponseAnswersSaved>();
        var state = Given(Started(), saved);
        state.Answers["nps"].Number.ShouldBe(3);
        When(state, new SaveAnswers(1, Answers(("nps", new Answer(Number: 3))))).ShouldBeEmpty();
        Should.Throw<RuleViolationException>(() => When(state, new SaveAnswers(1, Answers(("nps", new Answer(Number: 4)))))).Code.ShouldBe("sequence-reused");
    }

    [Fact]
    public void Answers_to_hidden_questions_are_refused_and_answers_that_become_hidden_are_cleared()
    {
        var state = Given(Started());
        Should.Throw<InvalidInputException>(() => When(state, new SaveAnswers(1, Answers(("nps", new Answer(Number: 9)), ("wrong", new Answer(Choices: ["wait"]))))))
            .Problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(p => p.Path.ShouldBe("wrong"), p => p.Code.ShouldBe("hidden-question"));

        var detractor = Given(Started(), new ResponseAnswersSaved(ResponseId, 1, Answers(("nps", new Answer(Number: 2)), ("wrong", new Answer(Choices: ["price"]))), [], Now));
        var changed = When(detractor, new SaveAnswers(2, Answers(("nps", new Answer(Number: 10))))).ShouldHaveSingleItem().ShouldBeOfType<ResponseAnswersSaved>();
        changed.Cleared.ShouldBe(["wrong"]);
        detractor.With(changed).Answers.Keys.ShouldBe(["nps"]);
    }

    [Theory]
    [InlineData("nps", 11, null, "out-of-range")]
    [InlineData("nps", null, "ten", "wrong-type")]
    [InlineData("comment", null, null, "wrong-type")]
    public void Values_are_checked_against_their_question(string question, int? number, string? text, string code)
    {
        Should.Throw<InvalidInputException>(() => When(Given(Started()), new SaveAnswers(1, Answers((question, new Answer(Number: number, Text: text))))))
            .Problems.ShouldHaveSingleItem().Code.ShouldBe(code);
    }

    [Fact]
    public void Completion_needs_visible_required_answers_including_required_if()
    {
        var state = Given(Started(), new ResponseAnswersSaved(ResponseId, 1, Answers(("nps", new Answer(Number: 2)), ("wrong", new Answer(Choices: ["wait"]))), [], Now));
        Should.Throw<InvalidInputException>(() => When(state, new CompleteResponse(2, Answers()))).Problems.Select(p => p.Path).ShouldBe(["comment"]);
        var events = When(state, new CompleteResponse(2, Answers(("comment", new Answer(Text: "Two hours")))));
        events.Select(e => e.GetType()).ShouldBe([typeof(ResponseAnswersSaved), typeof(ResponseCompleted)]);
        var completed = events.Aggregate(state, ResponseDecider.Evolve);
        completed.Status.ShouldBe(ResponseStatus.Completed);
        When(completed, new CompleteResponse(2, Answers(("comment", new Answer(Text: "Two hours"))))).ShouldBeEmpty();
        Should.Throw<RuleViolationException>(() => When(completed, new SaveAnswers(3, Answers(("nps", new Answer(Number: 1)))))).Code.ShouldBe("completed");
    }

    [Fact]
    public void Required_nps_blocks_completion_of_an_empty_response()
    {
        Should.Throw<InvalidInputException>(() => When(Given(Started()), new CompleteResponse(1, Answers()))).Problems.Select(p => p.Path).ShouldBe(["nps"]);
    }

    [Fact]
    public void An_idle_response_is_abandoned_once()
    {
        var state = Given(Started());
        ResponseDecider.Decide(new AbandonResponse(TimeSpan.FromHours(24)), state, Survey, Now.AddHours(23)).ShouldBeEmpty();
        var abandoned = ResponseDecider.Decide(new AbandonResponse(TimeSpan.FromHours(24)), state, Survey, Now.AddHours(25)).ShouldHaveSingleItem();
        var after = ResponseDecider.Evolve(state, abandoned);
        after.Status.ShouldBe(ResponseStatus.Abandoned);
        ResponseDecider.Decide(new AbandonResponse(TimeSpan.FromHours(24)), after, Survey, Now.AddHours(30)).ShouldBeEmpty();
    }

    [Fact]
    public void An_invitation_takes_one_response_and_closes_at_expiry()
    {
        var invitation = Invitation.From(new InvitationCreated(Guid.NewGuid(), Id, 1, "sms", Now.AddDays(1), Now));
        var responded = InvitationDecider.Respond(invitation, ResponseId, Now).ShouldHaveSingleItem().ShouldBeOfType<InvitationResponded>();
        var used = invitation.With(responded);
        InvitationDecider.Respond(used, ResponseId, Now).ShouldBeEmpty();
        Should.Throw<RuleViolationException>(() => InvitationDecider.Respond(used, Guid.NewGuid(), Now)).Code.ShouldBe("already-answered");
        Should.Throw<ExpiredException>(() => InvitationDecider.Respond(invitation, ResponseId, Now.AddDays(1)));
    }
}
