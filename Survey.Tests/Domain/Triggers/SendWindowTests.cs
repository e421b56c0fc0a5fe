using Survey.Domain.Operations;
using Survey.Domain.Triggers.Scheduling;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class SendWindowTests
{
    private static readonly TimeZoneInfo Shanghai = Zone("Asia/Shanghai");
    private static readonly TimeZoneInfo NewYork = Zone("America/New_York");
    private static readonly TimeZoneInfo LordHowe = Zone("Australia/Lord_Howe");
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5);
    private static readonly TimeSpan Edt = TimeSpan.FromHours(-4);

    private static SendWindow Window(int startHour, int startMinute, int endHour, int endMinute = 0, params DayOfWeek[] days) =>
        new(new TimeOnly(startHour, startMinute), new TimeOnly(endHour, endMinute), days.Length == 0 ? null : days);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Given_due_inside_window_When_next_send_time_Then_due_itself_in_local_offset()
    {
        var due = new DateTimeOffset(2026, 11, 3, 10, 0, 0, China);
        var next = SendWindow.NextSendTime(due.ToUniversalTime(), Daytime, Shanghai);
        next.ShouldBe(due);
        next.Offset.ShouldBe(China);
    }

    [Fact]
    public void Given_due_before_opening_When_next_send_time_Then_opening_the_same_day()
    {
        SendWindow.NextSendTime(new(2026, 11, 3, 7, 15, 0, China), Daytime, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 3, 9, 0, 0, China));
    }

    [Fact]
    public void Given_due_at_closing_When_next_send_time_Then_end_is_exclusive_and_it_waits_for_tomorrow()
    {
        SendWindow.NextSendTime(new(2026, 11, 3, 19, 59, 59, China), Daytime, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 3, 19, 59, 59, China));
        SendWindow.NextSendTime(new(2026, 11, 3, 20, 0, 0, China), Daytime, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 4, 9, 0, 0, China));
        SendWindow.NextSendTime(new(2026, 11, 3, 9, 0, 0, China), Daytime, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 3, 9, 0, 0, China));
    }

    [Fact]
    public void Given_no_window_When_next_send_time_Then_due()
    {
        SendWindow.NextSendTime(Utc(11, 3, 18), null, Shanghai).ShouldBe(Utc(11, 3, 18));
    }

    [Theory]
    [InlineData(23, 30, 23, 30, 0)]   // inside, before midnight
    [InlineData(1, 30, 1, 30, 0)]     // inside, after midnight (the window opened the evening before)
    [InlineData(2, 0, 22, 0, 0)]      // closes at 02:00, opens again at 22:00 the same day
    [InlineData(21, 0, 22, 0, 0)]     // waits for the evening
    public void Given_window_crossing_midnight_When_next_send_time_Then_both_sides_of_midnight_are_inside(int hour, int minute, int expectedHour, int expectedMinute, int dayOffset)
    {
        var window = Window(22, 0, 2);
        var due = new DateTimeOffset(2026, 11, 3, hour, minute, 0, China);
        SendWindow.NextSendTime(due, window, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 3 + dayOffset, expectedHour, expectedMinute, 0, China));
    }

    [Fact]
    public void Given_weekday_window_When_due_friday_evening_Then_monday_morning()
    {
        var weekdays = Window(9, 0, 20, 0, DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday);
        var fridayEvening = new DateTimeOffset(2026, 11, 6, 21, 0, 0, China);
        SendWindow.NextSendTime(fridayEvening, weekdays, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 9, 9, 0, 0, China));
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 7, 12, 0, 0, China), weekdays, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 9, 9, 0, 0, China));
    }

    [Fact]
    public void Given_friday_night_window_crossing_midnight_When_due_saturday_Then_early_saturday_belongs_to_friday()
    {
        var fridayNight = Window(22, 0, 2, 0, DayOfWeek.Friday);
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 7, 1, 0, 0, China), fridayNight, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 7, 1, 0, 0, China));
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 7, 23, 0, 0, China), fridayNight, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 13, 22, 0, 0, China));
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 5, 23, 0, 0, China), fridayNight, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 6, 22, 0, 0, China));
    }

    [Fact]
    public void Given_whole_day_window_on_weekends_When_due_midweek_Then_saturday_midnight()
    {
        var weekends = Window(0, 0, 0, 0, DayOfWeek.Saturday, DayOfWeek.Sunday);
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 4, 15, 0, 0, China), weekends, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 7, 0, 0, 0, China));
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 8, 23, 59, 0, China), weekends, Shanghai).ShouldBe(new DateTimeOffset(2026, 11, 8, 23, 59, 0, China));
    }

    [Fact]
    public void Given_spring_forward_When_opening_time_does_not_exist_Then_window_opens_when_the_clock_jumps()
    {
        // New York, Sunday 8 March 2026: 01:59:59 EST is followed by 03:00:00 EDT; 02:30 never happens.
        var window = Window(2, 30, 20);
        var next = SendWindow.NextSendTime(new DateTimeOffset(2026, 3, 8, 0, 30, 0, Est), window, NewYork);
        next.ShouldBe(Utc(3, 8, 7));
        next.ShouldBe(new DateTimeOffset(2026, 3, 8, 3, 0, 0, Edt));
        next.Offset.ShouldBe(Edt);
    }

    [Fact]
    public void Given_spring_forward_When_the_whole_window_lies_in_the_gap_Then_that_day_is_skipped()
    {
        var window = Window(2, 0, 2, 45);
        SendWindow.NextSendTime(new DateTimeOffset(2026, 3, 8, 0, 30, 0, Est), window, NewYork).ShouldBe(new DateTimeOffset(2026, 3, 9, 2, 0, 0, Edt));
    }

    [Fact]
    public void Given_spring_forward_night_When_due_in_the_evening_Then_next_morning_uses_the_new_offset()
    {
        var next = SendWindow.NextSendTime(new DateTimeOffset(2026, 3, 7, 23, 0, 0, Est), Daytime, NewYork);
        next.ShouldBe(new DateTimeOffset(2026, 3, 8, 9, 0, 0, Edt));
        next.ShouldBe(Utc(3, 8, 13)); // not 14:00 UTC, which a fixed -05:00 would give
    }

    [Fact]
    public void Given_fall_back_When_opening_time_happens_twice_Then_first_occurrence()
    {
        // New York, Sunday 1 November 2026: 01:59:59 EDT is followed by 01:00:00 EST; 01:00-02:00 happens twice.
        var window = Window(1, 30, 20);
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 1, 0, 30, 0, Edt), window, NewYork).ShouldBe(Utc(11, 1, 5, 30)); // 01:30 EDT
    }

    [Fact]
    public void Given_fall_back_When_due_in_the_repeated_hour_Then_local_wall_clock_decides()
    {
        var window = Window(1, 30, 20);
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 1, 1, 45, 0, Edt), window, NewYork).ShouldBe(Utc(11, 1, 5, 45));  // first 01:45: inside
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 1, 1, 45, 0, Est), window, NewYork).ShouldBe(Utc(11, 1, 6, 45));  // second 01:45: inside
        SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 1, 1, 10, 0, Est), window, NewYork).ShouldBe(Utc(11, 1, 6, 30));  // second 01:10: waits for the second 01:30
    }

    [Fact]
    public void Given_fall_back_When_window_ends_in_the_repeated_hour_Then_it_reopens_when_the_clock_falls_back()
    {
        var window = Window(22, 0, 1, 30);
        var next = SendWindow.NextSendTime(new DateTimeOffset(2026, 11, 1, 1, 45, 0, Edt), window, NewYork);
        next.ShouldBe(Utc(11, 1, 6));
        next.ShouldBe(new DateTimeOffset(2026, 11, 1, 1, 0, 0, Est));
    }

    [Fact]
    public void Given_fall_back_night_When_due_in_the_evening_Then_next_morning_uses_the_new_offset()
    {
        SendWindow.NextSendTime(new DateTimeOffset(2026, 10, 31, 21, 0, 0, Edt), Daytime, NewYork).ShouldBe(Utc(11, 1, 14));
    }

    [Fact]
    public void Given_lord_howe_half_hour_spring_forward_When_opening_is_skipped_Then_opens_at_0230()
    {
        // Lord Howe Island, Sunday 4 October 2026: 01:59:59 +10:30 is followed by 02:30:00 +11:00.
        var next = SendWindow.NextSendTime(new DateTimeOffset(2026, 10, 4, 0, 0, 0, TimeSpan.FromHours(10.5)), Window(2, 15, 20), LordHowe);
        next.ShouldBe(new DateTimeOffset(2026, 10, 4, 2, 30, 0, TimeSpan.FromHours(11)));
        next.Offset.ShouldBe(TimeSpan.FromHours(11));
    }

    [Fact]
    public void Given_lord_howe_half_hour_fall_back_When_due_overnight_Then_morning_at_the_new_offset()
    {
        // Sunday 5 April 2026: 01:59:59 +11:00 is followed by 01:30:00 +10:30.
        var next = SendWindow.NextSendTime(new DateTimeOffset(2026, 4, 4, 21, 0, 0, TimeSpan.FromHours(11)), Daytime, LordHowe);
        next.ShouldBe(new DateTimeOffset(2026, 4, 5, 9, 0, 0, TimeSpan.FromHours(10.5)));
    }

    [Fact]
    public void Same_instant_different_zones_Then_each_reads_its_own_clock()
    {
        var due = Utc(11, 3, 3); // 11:00 in Shanghai, 22:00 the evening before in New York
        SendWindow.NextSendTime(due, Daytime, Shanghai).ShouldBe(due);
        SendWindow.NextSendTime(due, Daytime, NewYork).ShouldBe(new DateTimeOffset(2026, 11, 3, 9, 0, 0, Est));
    }

    [Fact]
    public void Zone_is_the_customers_then_the_dealers_then_the_tenants()
    {
        TimeZones.Resolve("America/New_York", "Asia/Shanghai", "Europe/Berlin").ShouldSatisfyAllConditions(
            z => z.Zone.Id.ShouldBe("America/New_York"), z => z.Source.ShouldBe("customer"));
        TimeZones.Resolve(null, "Asia/Shanghai", "Europe/Berlin").Source.ShouldBe("dealer");
        TimeZones.Resolve("Mars/Olympus_Mons", " ", "Europe/Berlin").ShouldSatisfyAllConditions(
            z => z.Zone.Id.ShouldBe("Europe/Berlin"), z => z.Source.ShouldBe("tenant"));
        TimeZones.Resolve(null, null, null).Zone.ShouldBe(TimeZoneInfo.Utc);
    }

    [Fact]
    public void Every_result_is_inside_the_window_at_or_after_due_and_the_moment_before_it_is_not()
    {
        var windows = new[] { Daytime, Window(22, 0, 2), Window(1, 30, 2, 30, DayOfWeek.Sunday), Window(0, 0, 0, 0, DayOfWeek.Wednesday) };
        var periods = new[] { (Utc(3, 1, 0), Utc(3, 15, 0)), (Utc(3, 25, 0), Utc(4, 8, 0)), (Utc(9, 30, 0), Utc(10, 8, 0)), (Utc(10, 22, 0), Utc(11, 4, 0)) };
        foreach (var zone in new[] { NewYork, LordHowe, Shanghai, Zone("Europe/London") })
            foreach (var window in windows)
                foreach (var (from, to) in periods)
                    for (var due = from; due < to; due = due.AddMinutes(53))
                    {
                        var next = SendWindow.NextSendTime(due, window, zone);
                        next.ShouldBeGreaterThanOrEqualTo(due);
                        window.Contains(next, zone).ShouldBeTrue($"{window} in {zone.Id}: {due:O} -> {next:O}");
                        if (next > due) window.Contains(next.AddTicks(-1), zone).ShouldBeFalse($"{window} in {zone.Id}: {due:O} -> {next:O} is not the earliest");
                    }
    }
}
