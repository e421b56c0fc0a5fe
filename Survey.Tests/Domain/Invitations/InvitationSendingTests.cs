using Survey.Domain.Invitations;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Domain.Invitations;

public class InvitationSendingTests
{
    private static readonly Guid InvitationId = Guid.Parse("0195f000-0000-7000-8000-0000000000bb");

    private static InvitationScheduled Scheduled(params string[] channels) =>
        new(InvitationId, Guid.NewGuid(), 1, "RO-1", "C-1", "SH-PD-01", Id, 1, channels.Length == 0 ? ["miniProgram", "sms", "email"] : channels,
            Now, Now.AddDays(7), null, Now.AddHours(-24));

    private static Invitation Given(params object[] events) => events.Aggregate((Invitation?)null, InvitationDecider.Evolve)!;

    [Fact]
    public void Given_scheduled_When_due_Then_the_first_channel_is_attempted_and_recorded_first()
    {
        var attempt = InvitationSending.Next(Given(Scheduled()), Now).ShouldBeOfType<SendDecision.Attempt>();
        attempt.Channel.ShouldBe("miniProgram");
        attempt.Event.Attempt.ShouldBe(1);
        Given(Scheduled(), attempt.Event).Status.ShouldBe(InvitationStatus.Sending);
    }

    [Fact]
    public void Given_an_attempt_without_outcome_When_the_job_runs_again_Then_uncertain_and_never_resent()
    {
        var state = Given(Scheduled(), new InvitationSendAttempted(InvitationId, "sms", 1, Now));
        var decision = InvitationSending.Next(state, Now.AddMinutes(5)).ShouldBeOfType<SendDecision.Nothing>();
        var uncertain = decision.Events.ShouldHaveSingleItem().ShouldBeOfType<InvitationSendUncertain>();
        var after = InvitationDecider.Evolve(state, uncertain);
        after.Status.ShouldBe(InvitationStatus.Uncertain);
        InvitationSending.Next(after, Now.AddMinutes(10)).ShouldBeOfType<SendDecision.Nothing>().Events.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_permanent_failure_Then_the_next_channel_and_after_the_last_one_failed()
    {
        var state = Given(Scheduled("sms", "email"), new InvitationSendAttempted(InvitationId, "sms", 1, Now));
        state = InvitationDecider.Evolve(state, InvitationSending.Outcome(state, "sms", SendOutcomeKind.PermanentFailure, null, "21211 invalid number", Now));
        var next = InvitationSending.Next(state, Now).ShouldBeOfType<SendDecision.Attempt>();
        next.Channel.ShouldBe("email");
        state = InvitationDecider.Evolve(state, next.Event);
        state = InvitationDecider.Evolve(state, InvitationSending.Outcome(state, "email", SendOutcomeKind.PermanentFailure, null, "550 no such user", Now));
        state.Status.ShouldBe(InvitationStatus.Failed);
        state.Timeline.Select(t => t.What).ShouldBe(["scheduled", "attempted", "failed", "attempted", "failed"]);
    }

    [Fact]
    public void Given_transient_failures_Then_the_same_channel_is_retried_a_bounded_number_of_times()
    {
        var state = Given(Scheduled("sms", "email"));
        for (var i = 1; i <= InvitationSending.MaxAttemptsPerChannel; i++)
        {
            var attempt = InvitationSending.Next(state, Now).ShouldBeOfType<SendDecision.Attempt>();
            attempt.Channel.ShouldBe("sms");
            attempt.Event.Attempt.ShouldBe(i);
            state = InvitationDecider.Evolve(state, attempt.Event);
            state = InvitationDecider.Evolve(state, InvitationSending.Outcome(state, "sms", SendOutcomeKind.TransientFailure, null, "503", Now));
        }
        var giveUp = InvitationSending.Next(state, Now).ShouldBeOfType<SendDecision.Nothing>();
        state = InvitationDecider.Evolve(state, giveUp.Events.ShouldHaveSingleItem());
        InvitationSending.Next(state, Now).ShouldBeOfType<SendDecision.Attempt>().Channel.ShouldBe("email");
    }

    [Fact]
    public void Sent_responded_suppressed_and_expired_invitations_are_left_alone()
    {
        var sent = Given(Scheduled(), new InvitationSendAttempted(InvitationId, "miniProgram", 1, Now), new InvitationSent(InvitationId, "miniProgram", "msg-1", Now));
        InvitationSending.Next(sent, Now).ShouldBeOfType<SendDecision.Nothing>();
        sent.ProviderMessageId.ShouldBe("msg-1");
        InvitationSending.Next(Given(new InvitationSuppressed(InvitationId, Guid.NewGuid(), "RO-1", "C-1", "fatigue: invited 3 days ago", Now)), Now)
            .ShouldBeOfType<SendDecision.Nothing>();
        var late = InvitationSending.Next(Given(Scheduled()), Now.AddDays(8)).ShouldBeOfType<SendDecision.Nothing>();
        late.Events.ShouldHaveSingleItem().ShouldBeOfType<InvitationExpired>();
    }
}
