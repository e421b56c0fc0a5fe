using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Domain.Triggers.Scheduling;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class TriggerValidatorTests
{
    [Fact]
    public void Given_sample_definition_When_validated_Then_no_problems()
    {
        var d = Definition(FilterCondition.Is("dealer.region", "EAST"), FilterCondition.OneOf("vehicleModel", "A6", "Q5"),
            FilterCondition.AtLeast("event.amount", 1000), FilterCondition.IsNot("serviceType", "warranty"), FilterCondition.Present("advisor"))
            with { Reminder = new(TimeSpan.FromHours(48), ReminderCondition.NotCompleted), ActivePeriod = new(Now.AddDays(-1), Now.AddDays(90)) };
        TriggerValidator.Validate(d, publishingAt: Now).ShouldBeEmpty();
    }

    [Fact]
    public void Given_filter_with_many_broken_conditions_When_validated_Then_every_problem_is_reported_with_its_path()
    {
        FilterCondition?[] filter =
        [
            FilterCondition.Is("dealer.region", "EAST"),                                 // fine
            FilterCondition.Is("dealer.manager", "Wang"),                                // no such dealer field
            new("vehicleModel", FilterOperator.In, []),                                  // in without values
            new("amount", FilterOperator.GreaterThanOrEqual, ["lots"]),                  // not a number
            new("advisor", FilterOperator.Exists, ["Zhang"]),                            // exists takes no values
            new("mileage", (FilterOperator)99, ["1"]),                                   // unknown operator
            new("colour", FilterOperator.NotIn, ["red", " "]),                           // blank value
            null,                                                                        // no condition
            new("", FilterOperator.Equal, ["x", "y"]),                                   // no field, two values for '='
        ];
        var problems = TriggerFilter.Validate(filter);
        problems.Select(p => (p.Path, p.Code)).ShouldBe(
        [
            ("filter[1].field", "unknown-field"),
            ("filter[2].values", "value-count"),
            ("filter[3].values[0]", "not-a-number"),
            ("filter[4].values", "value-count"),
            ("filter[5].operator", "unknown-operator"),
            ("filter[6].values[1]", "required"),
            ("filter[7]", "required"),
            ("filter[8].field", "required"),
            ("filter[8].values", "value-count"),
        ], customMessage: string.Join("; ", problems));
    }

    [Fact]
    public void Given_definition_broken_everywhere_When_validated_Then_each_field_is_named()
    {
        var d = new TriggerDefinition(
            Name: " ",
            EventType: "service completed!",
            Filter: [FilterCondition.Below("amount", 5) with { Values = ["5", "6"] }],
            QuestionnaireId: Guid.Empty,
            Delay: TimeSpan.FromHours(-1),
            SendWindow: new(new(9, 0), new(20, 0), []),
            Channels: [Channel.Sms, Channel.Sms, (Channel)7],
            SamplingRate: 100.5m,
            InvitationExpiry: TimeSpan.Zero,
            Reminder: new(TimeSpan.Zero, (ReminderCondition)5),
            ActivePeriod: new(Now, Now.AddDays(-1)));
        var problems = TriggerValidator.Validate(d);
        problems.Select(p => p.Path).ShouldBe(
        [
            "name", "eventType", "filter[0].values", "questionnaireId", "delay", "sendWindow.days", "channels[2]", "channels",
            "samplingRate", "invitationExpiry", "reminder.after", "reminder.if", "activePeriod.to",
        ], ignoreOrder: true, customMessage: string.Join("; ", problems));
    }

    [Fact]
    public void Given_reminder_at_or_after_expiry_When_validated_Then_refused()
    {
        var d = Definition() with { InvitationExpiry = TimeSpan.FromDays(2), Reminder = new(TimeSpan.FromHours(48), ReminderCondition.NotOpened) };
        TriggerValidator.Validate(d).ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            p => p.Path.ShouldBe("reminder.after"), p => p.Code.ShouldBe("after-expiry"));
        TriggerValidator.Validate(d with { Reminder = new(TimeSpan.FromHours(47), ReminderCondition.NotOpened) }).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("dealer.region", true)]
    [InlineData("dealer.code", true)]
    [InlineData("dealer.city", true)]
    [InlineData("dealer.name", false)]
    [InlineData("event.vehicleModel", true)]
    [InlineData("vehicleModel", true)]
    [InlineData("event.", false)]
    [InlineData(" padded", false)]
    public void Fields_are_dealer_fields_or_event_attributes(string field, bool valid)
    {
        TriggerFilter.Validate([FilterCondition.Present(field)]).Count.ShouldBe(valid ? 0 : 1);
    }

    [Fact]
    public void Whole_day_and_midnight_crossing_windows_are_valid()
    {
        TriggerValidator.Validate(Definition() with { SendWindow = new(new(22, 0), new(2, 0)) }).ShouldBeEmpty();
        TriggerValidator.Validate(Definition() with { SendWindow = new(new(0, 0), new(0, 0), [DayOfWeek.Saturday, DayOfWeek.Sunday]) }).ShouldBeEmpty();
        TriggerValidator.Validate(Definition() with { SendWindow = new SendWindow(new(9, 0), new(20, 0), [DayOfWeek.Monday, DayOfWeek.Monday]) })
            .ShouldHaveSingleItem().Code.ShouldBe("duplicate-day");
    }
}
