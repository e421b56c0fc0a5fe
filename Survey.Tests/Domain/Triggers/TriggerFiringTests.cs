using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Firing;
using Survey.Domain.Triggers.Matching;
using Survey.Domain.Triggers.Scheduling;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class TriggerFiringTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly TenantFiringRules Tenant = new(new FatigueRules(OneInvitationPerDays: 30), "Europe/Berlin");
    /// <summary>Consent for SMS and e-mail but not the mini-program.</summary>
    private static readonly Customer SmsAndEmail = Customer(Given(Channel.Sms), Given(Channel.Email));

    private static FiringDecision Decide(Trigger trigger, OperationalEvent? e = null, Customer? customer = null,
        CustomerContactHistory? history = null, DateTimeOffset? now = null) =>
        TriggerFiring.Decide(trigger, e ?? ServiceCompleted(), customer ?? SmsAndEmail, ShanghaiDealer, null, Tenant,
            history ?? CustomerContactHistory.None, now ?? Now);

    private static Suppression Suppressed(FiringDecision decision) => decision.ShouldBeOfType<FiringDecision.Suppressed>().Suppression;

    [Fact]
    public void Given_matching_event_When_decided_Then_scheduled_after_the_delay_with_usable_channels_expiry_and_reminder()
    {
        var trigger = Live(Definition() with { Reminder = new(TimeSpan.FromHours(48), ReminderCondition.NotOpened) });
        var s = Decide(trigger).ShouldBeOfType<FiringDecision.Scheduled>();

        s.TriggerId.ShouldBe(TriggerId);
        s.TriggerVersion.ShouldBe(1);
        s.QuestionnaireId.ShouldBe(QuestionnaireId);
        s.DueAt.ShouldBe(new DateTimeOffset(2026, 11, 3, 10, 0, 0, China)); // 24 h after 10:00, inside 09:00-20:00
        s.DueAt.Offset.ShouldBe(China);
        s.TimeZone.ShouldBe("Asia/Shanghai"); // the customer has none, the dealer's
        s.ChannelOrder.ShouldBe([Channel.Sms, Channel.Email]);
        s.SkippedChannels.ShouldBe([new SkippedChannel(Channel.MiniProgram, "no-consent")]);
        s.ExpiresAt.ShouldBe(s.DueAt.AddDays(7));
        s.ReminderAt.ShouldBe(new DateTimeOffset(2026, 11, 5, 10, 0, 0, China));
        s.ReminderIf.ShouldBe(ReminderCondition.NotOpened);
    }

    [Fact]
    public void Given_delay_ending_in_quiet_hours_When_decided_Then_due_at_the_next_window_opening()
    {
        var trigger = Live(Definition() with { Delay = TimeSpan.FromHours(1) });
        var evening = new DateTimeOffset(2026, 11, 2, 19, 30, 0, China);
        var s = Decide(trigger, ServiceCompleted() with { OccurredAt = evening }, now: evening).ShouldBeOfType<FiringDecision.Scheduled>();
        s.DueAt.ShouldBe(new DateTimeOffset(2026, 11, 3, 9, 0, 0, China));
        s.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 10, 9, 0, 0, China));
    }

    [Fact]
    public void Given_customer_with_own_time_zone_When_decided_Then_the_window_is_read_in_the_customers_zone()
    {
        var abroad = SmsAndEmail with { TimeZone = "America/New_York" };
        var s = Decide(Live(), customer: abroad).ShouldBeOfType<FiringDecision.Scheduled>();
        // 24 h after 10:00 in Shanghai is 21:00 in New York: wait for 09:00 there
        s.DueAt.ShouldBe(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromHours(-5)));
        s.TimeZone.ShouldBe("America/New_York");
    }

    [Fact]
    public void Given_event_reported_late_When_decided_Then_due_now_rather_than_in_the_past()
    {
        var s = Decide(Live(), ServiceCompleted() with { OccurredAt = Now.AddDays(-3) }).ShouldBeOfType<FiringDecision.Scheduled>();
        s.DueAt.ShouldBe(Now);
    }

    [Fact]
    public void Given_event_so_old_the_invitation_would_have_expired_When_decided_Then_suppressed_as_too_late()
    {
        Suppressed(Decide(Live(), ServiceCompleted() with { OccurredAt = Now.AddDays(-8) })).Reason.ShouldBe(SuppressionReason.TooLate);
        Decide(Live(), ServiceCompleted() with { OccurredAt = Now.AddDays(-8).AddMinutes(1) }).ShouldBeOfType<FiringDecision.Scheduled>();
    }

    [Fact]
    public void Given_other_event_type_or_filter_When_decided_Then_not_matched_and_nothing_to_record()
    {
        var trigger = Live(Definition(FilterCondition.Is("dealer.region", "WEST")));
        var decision = Decide(trigger, ServiceCompleted() with { Type = "order.paid" }).ShouldBeOfType<FiringDecision.NotMatched>();
        decision.Reasons.Select(r => r.Code).ShouldBe(["event-type", "filter"]);
    }

    [Fact]
    public void Given_paused_trigger_When_decided_Then_suppressed_as_paused()
    {
        Suppressed(Decide(Live(null, new TriggerPaused(TriggerId, null, Now)))).Code.ShouldBe("paused");
    }

    [Fact]
    public void Given_event_outside_the_active_period_When_decided_Then_suppressed_with_the_period()
    {
        var trigger = Live(Definition() with { ActivePeriod = new(Now.AddDays(1), null) });
        var suppression = Suppressed(Decide(trigger));
        suppression.Reason.ShouldBe(SuppressionReason.OutsideActivePeriod);
        suppression.Detail.ShouldContain("before the trigger's active period began (2026-11-03 02:00 UTC)");
    }

    [Fact]
    public void Given_fatigue_rules_When_decided_Then_each_reason_reaches_the_marketer()
    {
        Suppressed(Decide(Live(), history: new([Now.AddDays(-10)]))).Reason.ShouldBe(SuppressionReason.RecentlyInvited);
        Suppressed(Decide(Live(), history: new([], HasOpenCase: true))).Reason.ShouldBe(SuppressionReason.OpenCase);
        Suppressed(Decide(Live(), customer: SmsAndEmail with { OptedOut = true })).Reason.ShouldBe(SuppressionReason.OptedOut);
        Decide(Live(), history: new([Now.AddDays(-30)])).ShouldBeOfType<FiringDecision.Scheduled>();
    }

    [Fact]
    public void Given_no_usable_channel_When_decided_Then_suppressed_with_each_channel_explained()
    {
        var unreachable = Customer(Given(Channel.Email)) with { Email = null };
        var suppression = Suppressed(Decide(Live(), customer: unreachable));
        suppression.Reason.ShouldBe(SuppressionReason.NoUsableChannel);
        suppression.Detail.ShouldBe("No channel can be used: MiniProgram (no-consent), Sms (no-consent), Email (no-contact-point).");
    }

    [Fact]
    public void Given_sampling_rate_When_many_events_decided_Then_some_are_sampled_out_and_a_retry_decides_the_same()
    {
        var trigger = Live(Definition() with { SamplingRate = 50 });
        var events = Enumerable.Range(0, 40).Select(i => ServiceCompleted() with { ExternalId = $"RO-{i}" }).ToList();
        var decisions = events.Select(e => Decide(trigger, e)).ToList();

        decisions.Count(d => d is FiringDecision.Suppressed { Suppression.Reason: SuppressionReason.SampledOut }).ShouldBeInRange(8, 32);
        decisions.Count(d => d is FiringDecision.Scheduled).ShouldBeInRange(8, 32);
        events.Select(e => Decide(trigger, e).GetType()).ShouldBe(decisions.Select(d => d.GetType()));
    }

    [Fact]
    public void Given_reminder_that_cannot_be_sent_before_expiry_When_decided_Then_no_reminder()
    {
        var weekdays = new SendWindow(new(9, 0), new(20, 0), [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]);
        var definition = Definition() with { Delay = TimeSpan.Zero, SendWindow = weekdays, InvitationExpiry = TimeSpan.FromDays(5) };

        // due Monday 10:00; a reminder 110 h later is Saturday 00:00, and the window reopens Monday, after the Saturday 10:00 expiry
        var late = Decide(Live(definition with { Reminder = new(TimeSpan.FromHours(110), ReminderCondition.NotCompleted) })).ShouldBeOfType<FiringDecision.Scheduled>();
        late.DueAt.ShouldBe(Now);
        late.ReminderAt.ShouldBeNull();
        late.ReminderIf.ShouldBeNull();

        // a reminder 60 h later is Wednesday 22:00: it waits for Thursday 09:00
        var shifted = Decide(Live(definition with { Reminder = new(TimeSpan.FromHours(60), ReminderCondition.NotCompleted) })).ShouldBeOfType<FiringDecision.Scheduled>();
        shifted.ReminderAt.ShouldBe(new DateTimeOffset(2026, 11, 5, 9, 0, 0, China));
        shifted.ReminderIf.ShouldBe(ReminderCondition.NotCompleted);
    }

    [Fact]
    public void Given_version_2_published_When_decided_Then_the_invitation_names_version_2()
    {
        var v2 = Definition() with { Delay = TimeSpan.FromHours(2) };
        var trigger = Live(null, new TriggerDraftEdited(TriggerId, v2, Now), Published(v2, version: 2));
        var s = Decide(trigger).ShouldBeOfType<FiringDecision.Scheduled>();
        s.TriggerVersion.ShouldBe(2);
        s.DueAt.ShouldBe(Now.AddHours(2));
    }

    [Fact]
    public void Given_customer_of_another_event_When_decided_Then_refused()
    {
        Should.Throw<ArgumentException>(() => Decide(Live(), customer: SmsAndEmail with { ExternalId = "C-2" }));
    }
}
