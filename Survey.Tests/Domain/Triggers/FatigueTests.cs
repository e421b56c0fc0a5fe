using Survey.Domain.Triggers.Firing;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class FatigueTests
{
    private static readonly FatigueRules ThirtyDays = new(OneInvitationPerDays: 30);

    [Fact]
    public void Given_no_recent_invitation_When_checked_Then_allowed()
    {
        Fatigue.Check(ThirtyDays, Customer(), [], hasOpenCase: false, Now).ShouldBeNull();
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(29 * 24 * 60 + 23 * 60 + 59, true)]
    [InlineData(30 * 24 * 60, false)]
    [InlineData(45 * 24 * 60, false)]
    public void Given_invitation_minutes_ago_When_checked_Then_n_day_rule_holds_up_to_the_boundary(int minutesAgo, bool suppressed)
    {
        var result = Fatigue.Check(ThirtyDays, Customer(), [Now.AddMinutes(-minutesAgo)], hasOpenCase: false, Now);
        if (suppressed) result.ShouldNotBeNull().Reason.ShouldBe(SuppressionReason.RecentlyInvited);
        else result.ShouldBeNull();
    }

    [Fact]
    public void Given_recent_invitation_When_checked_Then_detail_names_the_last_one_and_the_next_possible_date()
    {
        var result = Fatigue.Check(ThirtyDays, Customer(), [Now.AddDays(-20), Now.AddDays(-3), Now.AddDays(-40)], hasOpenCase: false, Now).ShouldNotBeNull();
        result.Code.ShouldBe("recently-invited");
        result.Detail.ShouldBe("Invited 2026-10-30 02:00 UTC; at most one invitation every 30 days, so not before 2026-11-29 02:00 UTC.");
    }

    [Fact]
    public void Given_invitation_scheduled_but_not_sent_When_checked_Then_it_counts()
    {
        Fatigue.Check(ThirtyDays, Customer(), [Now.AddHours(20)], hasOpenCase: false, Now).ShouldNotBeNull().Reason.ShouldBe(SuppressionReason.RecentlyInvited);
    }

    [Fact]
    public void Given_open_case_When_checked_Then_suppressed_unless_the_tenant_allows_it()
    {
        Fatigue.Check(ThirtyDays, Customer(), [], hasOpenCase: true, Now).ShouldNotBeNull().Reason.ShouldBe(SuppressionReason.OpenCase);
        Fatigue.Check(ThirtyDays with { NotWhileCaseOpen = false }, Customer(), [], hasOpenCase: true, Now).ShouldBeNull();
    }

    [Fact]
    public void Given_opted_out_When_checked_Then_opt_out_comes_first()
    {
        var optedOut = Customer() with { OptedOut = true };
        Fatigue.Check(ThirtyDays, optedOut, [Now.AddDays(-1)], hasOpenCase: true, Now).ShouldNotBeNull().Reason.ShouldBe(SuppressionReason.OptedOut);
        Fatigue.Check(new FatigueRules(null, false), optedOut, [], false, Now).ShouldNotBeNull().Code.ShouldBe("opted-out");
    }

    [Fact]
    public void Given_no_limit_When_invited_yesterday_Then_allowed()
    {
        Fatigue.Check(new FatigueRules(OneInvitationPerDays: null), Customer(), [Now.AddDays(-1)], false, Now).ShouldBeNull();
        Fatigue.Check(new FatigueRules(OneInvitationPerDays: 0), Customer(), [Now.AddDays(-1)], false, Now).ShouldBeNull();
    }
}
