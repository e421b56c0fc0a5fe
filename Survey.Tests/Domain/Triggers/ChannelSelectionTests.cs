using Survey.Domain.Operations;
using Survey.Domain.Triggers.Firing;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class ChannelSelectionTests
{
    private static readonly Channel[] Order = [Channel.MiniProgram, Channel.Sms, Channel.Email];

    [Fact]
    public void Given_consent_and_contact_points_for_all_When_chosen_Then_first_in_order()
    {
        var (first, skipped) = ChannelSelection.Choose(Order, Customer());
        first.ShouldBe(Channel.MiniProgram);
        skipped.ShouldBeEmpty();
        ChannelSelection.Choose(Order, Customer()).Usable.ShouldBe(Order);
    }

    [Fact]
    public void Given_trigger_order_When_chosen_Then_the_triggers_order_is_followed()
    {
        ChannelSelection.Choose([Channel.Email, Channel.Sms], Customer()).First.ShouldBe(Channel.Email);
    }

    [Fact]
    public void Given_no_consent_and_withdrawn_consent_When_chosen_Then_falls_back_and_says_why()
    {
        var customer = Customer(Given(Channel.Sms, daysAgo: 100), Withdrawn(Channel.Sms, daysAgo: 10), Given(Channel.Email));
        var (first, skipped) = ChannelSelection.Choose(Order, customer);
        first.ShouldBe(Channel.Email);
        skipped.ShouldBe([new SkippedChannel(Channel.MiniProgram, "no-consent"), new SkippedChannel(Channel.Sms, "consent-withdrawn")]);
    }

    [Fact]
    public void Given_consent_withdrawn_then_given_again_When_chosen_Then_the_latest_decision_counts()
    {
        var customer = Customer(Given(Channel.MiniProgram, daysAgo: 100), Withdrawn(Channel.MiniProgram, daysAgo: 50), Given(Channel.MiniProgram, daysAgo: 5));
        ChannelSelection.Choose(Order, customer).First.ShouldBe(Channel.MiniProgram);
    }

    [Fact]
    public void Given_consent_without_contact_point_When_chosen_Then_skipped_for_missing_contact_point()
    {
        var customer = Customer() with { WeChatOpenId = null, Mobile = "" };
        var choice = ChannelSelection.Choose(Order, customer);
        choice.First.ShouldBe(Channel.Email);
        choice.Skipped.ShouldBe([new SkippedChannel(Channel.MiniProgram, "no-contact-point"), new SkippedChannel(Channel.Sms, "no-contact-point")]);
    }

    [Fact]
    public void Given_no_usable_channel_When_chosen_Then_none_and_every_channel_explained()
    {
        var customer = Customer(Given(Channel.Email)) with { Email = null };
        var choice = ChannelSelection.Choose(Order, customer);
        choice.First.ShouldBeNull();
        choice.Usable.ShouldBeEmpty();
        choice.Skipped.Select(s => (s.Channel, s.Reason)).ShouldBe(
            [(Channel.MiniProgram, "no-consent"), (Channel.Sms, "no-consent"), (Channel.Email, "no-contact-point")]);
    }

    [Fact]
    public void Given_permanent_failure_When_next_Then_next_usable_channel_after_the_failed_one()
    {
        var customer = Customer(Given(Channel.MiniProgram), Given(Channel.Email)); // no SMS consent
        var (first, skipped) = ChannelSelection.Next(Order, customer, after: Channel.MiniProgram);
        first.ShouldBe(Channel.Email);
        skipped.ShouldBe([new SkippedChannel(Channel.Sms, "no-consent")]);
    }

    [Fact]
    public void Given_last_channel_failed_When_next_Then_none()
    {
        var choice = ChannelSelection.Next(Order, Customer(), after: Channel.Email);
        choice.First.ShouldBeNull();
        choice.Skipped.ShouldBeEmpty();
    }

    [Fact]
    public void Given_channel_not_in_order_When_next_Then_refused()
    {
        Should.Throw<ArgumentException>(() => ChannelSelection.Next([Channel.Sms], Customer(), after: Channel.Email));
    }
}
