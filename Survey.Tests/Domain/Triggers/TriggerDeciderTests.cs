using Survey.Domain.Common;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class TriggerDeciderTests
{
    [Fact]
    public void Given_nothing_When_created_Then_draft_version_1_that_does_not_fire_yet()
    {
        var created = TriggerSpec.Given().When(new CreateTrigger(TriggerId, Definition())).Then<TriggerCreated>();
        var state = TriggerDecider.Evolve(null, created);
        state.Status.ShouldBe(TriggerStatus.Draft);
        state.DraftVersion.ShouldBe(1);
        state.LatestPublished.ShouldBeNull();
        TriggerMatching.Match(state, ServiceCompleted(), ShanghaiDealer, null).Failures.ShouldHaveSingleItem().Code.ShouldBe("not-published");
    }

    [Fact]
    public void Given_existing_When_created_again_Then_rejected()
    {
        TriggerSpec.Given(Created()).When(new CreateTrigger(TriggerId, Definition())).ThenRejected<RuleViolationException>().Code.ShouldBe("already-exists");
    }

    [Fact]
    public void Given_nothing_When_edited_Then_not_found()
    {
        TriggerSpec.Given().When(new EditTrigger(Definition())).ThenRejected<NotFoundException>();
    }

    [Fact]
    public void Given_draft_When_published_Then_version_1_frozen_and_draft_becomes_version_2()
    {
        var spec = TriggerSpec.Given(Created());
        var published = spec.When(new PublishTrigger()).Then<TriggerPublished>();
        published.Version.ShouldBe(1);
        published.Definition.ShouldBe(Definition());
        var state = TriggerDecider.Evolve(spec.State(), published);
        state.Status.ShouldBe(TriggerStatus.Live);
        state.LatestPublishedVersion.ShouldBe(1);
        state.DraftVersion.ShouldBe(2);
        state.HasUnpublishedChanges.ShouldBeFalse();
    }

    [Fact]
    public void Given_published_When_edited_Then_new_draft_and_version_1_keeps_firing()
    {
        var westOnly = Definition(FilterCondition.Is("dealer.region", "WEST"));
        var spec = TriggerSpec.Given(Created(), Published());
        var edited = spec.When(new EditTrigger(westOnly)).Then<TriggerDraftEdited>();
        var state = TriggerDecider.Evolve(spec.State(), edited);

        state.Draft.ShouldBe(westOnly);
        state.HasUnpublishedChanges.ShouldBeTrue();
        state.LatestPublishedVersion.ShouldBe(1);
        state.LatestPublished.ShouldBe(Definition());
        TriggerMatching.Matches(state, ServiceCompleted(), ShanghaiDealer, null).ShouldBeTrue(); // the East dealer still fires version 1
    }

    [Fact]
    public void Given_published_and_edited_When_published_again_Then_version_2_fires_and_version_1_is_untouched()
    {
        var westOnly = Definition(FilterCondition.Is("dealer.region", "WEST"));
        var v1 = Published();
        var spec = TriggerSpec.Given(Created(), v1, new TriggerDraftEdited(TriggerId, westOnly, Now));
        var v2 = spec.When(new PublishTrigger()).Then<TriggerPublished>();
        v2.Version.ShouldBe(2);
        v2.Definition.Filter.ShouldHaveSingleItem();
        v1.Definition.Filter.ShouldBeEmpty();

        var state = TriggerDecider.Evolve(spec.State(), v2);
        state.DraftVersion.ShouldBe(3);
        TriggerMatching.Matches(state, ServiceCompleted(), ShanghaiDealer, null).ShouldBeFalse();
        TriggerMatching.Matches(state, ServiceCompleted() with { DealerCode = "CD001" }, ChengduDealer, null).ShouldBeTrue();
    }

    [Fact]
    public void Given_published_When_nothing_changed_Then_publish_refused()
    {
        TriggerSpec.Given(Created(), Published()).When(new PublishTrigger()).ThenRejected<RuleViolationException>().Code.ShouldBe("nothing-to-publish");
    }

    [Fact]
    public void Given_draft_When_edited_to_the_same_definition_Then_nothing_recorded()
    {
        TriggerSpec.Given(Created()).When(new EditTrigger(Definition())).ThenNothing();
    }

    [Fact]
    public void Given_draft_When_edited_with_broken_definition_Then_rejected_with_every_problem_and_draft_kept()
    {
        var broken = Definition(new FilterCondition("amount", FilterOperator.GreaterThanOrEqual, ["lots"])) with { SamplingRate = 150, Channels = [] };
        var error = TriggerSpec.Given(Created()).When(new EditTrigger(broken)).ThenRejected<InvalidInputException>();
        error.Problems.Select(p => p.Path).ShouldBe(["filter[0].values[0]", "channels", "samplingRate"], ignoreOrder: true);
    }

    [Fact]
    public void Given_draft_whose_active_period_has_ended_When_published_Then_rejected()
    {
        var ended = Definition() with { ActivePeriod = new(Now.AddDays(-60), Now.AddDays(-1)) };
        TriggerSpec.Given(Created(ended)).When(new PublishTrigger()).ThenRejected<InvalidInputException>()
            .Problems.ShouldHaveSingleItem().ShouldSatisfyAllConditions(p => p.Path.ShouldBe("activePeriod.to"), p => p.Code.ShouldBe("ended"));
    }

    [Fact]
    public void Given_live_When_paused_and_resumed_Then_status_follows_and_no_version_is_made()
    {
        var spec = TriggerSpec.Given(Created(), Published());
        var paused = spec.When(new PauseTrigger("dealer renovation")).Then<TriggerPaused>();
        paused.Reason.ShouldBe("dealer renovation");

        var pausedSpec = TriggerSpec.Given(Created(), Published(), paused);
        var state = pausedSpec.State()!;
        state.Status.ShouldBe(TriggerStatus.Paused);
        state.LatestPublishedVersion.ShouldBe(1);
        state.DraftVersion.ShouldBe(2);
        pausedSpec.When(new PauseTrigger()).ThenNothing();

        var resumed = pausedSpec.When(new ResumeTrigger()).Then<TriggerResumed>();
        TriggerDecider.Evolve(state, resumed).Status.ShouldBe(TriggerStatus.Live);
        spec.When(new ResumeTrigger()).ThenNothing();
    }

    [Fact]
    public void Given_archived_When_anything_Then_rejected()
    {
        var spec = TriggerSpec.Given(Created(), Published(), new TriggerArchived(TriggerId, Now));
        spec.State()!.Status.ShouldBe(TriggerStatus.Archived);
        spec.When(new EditTrigger(Definition() with { Name = "Renamed" })).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
        spec.When(new PublishTrigger()).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
        spec.When(new ResumeTrigger()).ThenRejected<RuleViolationException>().Code.ShouldBe("archived");
        TriggerMatching.Match(spec.State()!, ServiceCompleted(), ShanghaiDealer, null).Failures.ShouldHaveSingleItem().Code.ShouldBe("archived");
    }

    [Fact]
    public void Definitions_compare_by_value_including_filters_windows_and_channels()
    {
        var a = Definition(FilterCondition.OneOf("vehicleModel", "A6", "Q5")) with { SendWindow = new(new(9, 0), new(20, 0), [DayOfWeek.Monday]) };
        var b = Definition(FilterCondition.OneOf("vehicleModel", "A6", "Q5")) with { SendWindow = new(new(9, 0), new(20, 0), [DayOfWeek.Monday]) };
        a.ShouldBe(b);
        a.ShouldNotBe(b with { Filter = [FilterCondition.OneOf("vehicleModel", "A6")] });
        a.ShouldNotBe(b with { Channels = [.. b.Channels.Reverse()] });
    }
}
