using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class TriggerMatchingTests
{
    private static readonly Trigger EastPremiumService = Live(Definition(
        FilterCondition.Is("dealer.region", "EAST"),
        FilterCondition.OneOf("vehicleModel", "A6", "Q5"),
        FilterCondition.AtLeast("amount", 1000)));

    [Fact]
    public void Given_filter_When_event_meets_every_condition_Then_matches()
    {
        var e = ServiceCompleted(("vehicleModel", "Q5"), ("amount", "1000"));
        TriggerMatching.Match(EastPremiumService, e, ShanghaiDealer, null).ShouldSatisfyAllConditions(
            r => r.Matched.ShouldBeTrue(),
            r => r.Failures.ShouldBeEmpty());
        TriggerMatching.Matches(EastPremiumService, e, ShanghaiDealer, "EAST").ShouldBeTrue();
    }

    [Theory]
    [InlineData("CD001", "Q5", "1200", "filter[0]")]
    [InlineData("SH001", "A4", "1200", "filter[1]")]
    [InlineData("SH001", "A6", "999.99", "filter[2]")]
    [InlineData("SH001", "A6", "n/a", "filter[2]")]
    public void Given_filter_When_one_condition_fails_Then_not_matched_and_the_condition_is_named(string dealerCode, string model, string amount, string path)
    {
        var dealer = dealerCode == "SH001" ? ShanghaiDealer : ChengduDealer;
        var e = ServiceCompleted(("vehicleModel", model), ("amount", amount)) with { DealerCode = dealerCode };
        var failure = TriggerMatching.Match(EastPremiumService, e, dealer, null).Failures.ShouldHaveSingleItem();
        failure.Code.ShouldBe("filter");
        failure.Path.ShouldBe(path);
    }

    [Fact]
    public void Given_filter_When_event_type_and_conditions_all_differ_Then_every_reason_is_reported()
    {
        var e = ServiceCompleted(("vehicleModel", "A4")) with { Type = "vehicle.delivered", DealerCode = "CD001" };
        var failures = TriggerMatching.Match(EastPremiumService, e, ChengduDealer, null).Failures;
        failures.Select(f => f.Path).ShouldBe(["eventType", "filter[0]", "filter[1]", "filter[2]"]);
        failures[1].Message.ShouldBe("'dealer.region = EAST' does not hold: dealer.region is 'WEST'.");
        failures[3].Message.ShouldBe("'amount >= 1000' does not hold: amount is missing.");
    }

    [Fact]
    public void Given_not_equals_and_exists_When_attribute_missing_Then_not_equals_holds_and_exists_fails()
    {
        var trigger = Live(Definition(FilterCondition.IsNot("serviceType", "warranty"), FilterCondition.Present("advisor")));
        TriggerMatching.Matches(trigger, ServiceCompleted(("serviceType", "paid"), ("advisor", "Zhang")), ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Match(trigger, ServiceCompleted(("advisor", "Zhang")), ShanghaiDealer, null).Matched.ShouldBeTrue();
        TriggerMatching.Match(trigger, ServiceCompleted(("serviceType", "Warranty"), ("advisor", " ")), ShanghaiDealer, null)
            .Failures.Select(f => f.Path).ShouldBe(["filter[0]", "filter[1]"]);
    }

    [Fact]
    public void Given_not_in_and_not_exists_When_evaluated_Then_excluded_values_fail()
    {
        var trigger = Live(Definition(FilterCondition.NoneOf("vehicleModel", "A3", "A4"), FilterCondition.Absent("complaintId")));
        TriggerMatching.Matches(trigger, ServiceCompleted(("vehicleModel", "A6")), ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Matches(trigger, ServiceCompleted(("vehicleModel", "a4")), ShanghaiDealer, null).ShouldBeFalse();
        TriggerMatching.Matches(trigger, ServiceCompleted(("complaintId", "X-1")), ShanghaiDealer, null).ShouldBeFalse();
    }

    [Fact]
    public void Texts_compare_without_case_numbers_as_numbers_and_event_prefix_is_optional()
    {
        var trigger = Live(Definition(FilterCondition.Is("event.VehicleModel", "q5"), FilterCondition.Is("amount", "1000"),
            FilterCondition.Below("mileage", 100000), FilterCondition.Is("dealer.city", "SHANGHAI")));
        TriggerMatching.Matches(trigger, ServiceCompleted(("vehicleModel", "Q5"), ("amount", "1000.00"), ("mileage", "99999.5")), ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Matches(trigger, ServiceCompleted(("vehicleModel", "Q5"), ("amount", "1000.00"), ("mileage", "100000")), ShanghaiDealer, null).ShouldBeFalse();
    }

    [Fact]
    public void Given_region_filter_When_region_passed_or_dealer_unknown_Then_region_comes_from_the_argument_then_the_dealer()
    {
        var east = Live(Definition(FilterCondition.Is("dealer.region", "EAST")));
        TriggerMatching.Matches(east, ServiceCompleted(), ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Matches(east, ServiceCompleted(), ShanghaiDealer, "WEST").ShouldBeFalse(); // the region given wins (e.g. after a regrouping)
        TriggerMatching.Matches(east, ServiceCompleted(), null, "EAST").ShouldBeTrue();
        TriggerMatching.Match(east, ServiceCompleted() with { DealerCode = null }, null, null).Failures.ShouldHaveSingleItem()
            .Message.ShouldContain("dealer.region is missing");
    }

    [Fact]
    public void Given_active_period_When_event_before_at_start_or_at_end_Then_start_is_inclusive_and_end_exclusive()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var to = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var trigger = Live(Definition() with { ActivePeriod = new(from, to) });
        TriggerMatching.Match(trigger, ServiceCompleted() with { OccurredAt = from.AddTicks(-1) }, ShanghaiDealer, null)
            .Failures.ShouldHaveSingleItem().Code.ShouldBe("not-yet-active");
        TriggerMatching.Matches(trigger, ServiceCompleted() with { OccurredAt = from }, ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Matches(trigger, ServiceCompleted() with { OccurredAt = to.AddTicks(-1) }, ShanghaiDealer, null).ShouldBeTrue();
        TriggerMatching.Match(trigger, ServiceCompleted() with { OccurredAt = to }, ShanghaiDealer, null)
            .Failures.ShouldHaveSingleItem().Code.ShouldBe("no-longer-active");
    }

    [Fact]
    public void Given_paused_trigger_When_event_matches_otherwise_Then_paused_is_the_reason()
    {
        var paused = Live(null, new TriggerPaused(TriggerId, null, Now.AddDays(-1)));
        TriggerMatching.Match(paused, ServiceCompleted(), ShanghaiDealer, null).Failures.ShouldHaveSingleItem().Code.ShouldBe("paused");
        var resumed = Live(null, new TriggerPaused(TriggerId, null, Now.AddDays(-1)), new TriggerResumed(TriggerId, Now));
        TriggerMatching.Matches(resumed, ServiceCompleted(), ShanghaiDealer, null).ShouldBeTrue();
    }

    [Fact]
    public void Event_type_compares_without_case()
    {
        TriggerMatching.Matches(Live(), ServiceCompleted() with { Type = "Service.Completed" }, ShanghaiDealer, null).ShouldBeTrue();
    }
}
