using Survey.Domain.Analytics.Periods;

namespace Survey.Tests.Domain.Analytics;

public class PeriodCalendarTests
{
    private static readonly PeriodCalendar Shanghai = PeriodCalendar.For("Asia/Shanghai");
    private static readonly PeriodCalendar NewYork = PeriodCalendar.For("America/New_York");
    private static readonly PeriodCalendar Utc = new(TimeZoneInfo.Utc);

    private static readonly DateTimeOffset NewYearsEveAfternoonUtc = new(2026, 12, 31, 17, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Given_response_at_17h_utc_on_new_years_eve_When_bucketed_in_shanghai_Then_january_q1_and_the_new_year()
    {
        // 17:00Z is 01:00 on 1 January 2027 in Shanghai (UTC+8).
        Shanghai.LocalDate(NewYearsEveAfternoonUtc).ShouldBe(new DateOnly(2027, 1, 1));
        Shanghai.PeriodOf(NewYearsEveAfternoonUtc, PeriodKind.Month).Label.ShouldBe("2027-01");
        Shanghai.PeriodOf(NewYearsEveAfternoonUtc, PeriodKind.Quarter).Label.ShouldBe("2027-Q1");
        Shanghai.PeriodOf(NewYearsEveAfternoonUtc, PeriodKind.Year).Label.ShouldBe("2027");
    }

    [Fact]
    public void Given_same_instant_When_bucketed_in_utc_and_new_york_Then_still_december()
    {
        Utc.PeriodOf(NewYearsEveAfternoonUtc, PeriodKind.Month).Label.ShouldBe("2026-12");
        NewYork.PeriodOf(new DateTimeOffset(2027, 1, 1, 3, 0, 0, TimeSpan.Zero), PeriodKind.Year).Label.ShouldBe("2026");
        NewYork.PeriodOf(new DateTimeOffset(2027, 1, 1, 5, 0, 0, TimeSpan.Zero), PeriodKind.Year).Label.ShouldBe("2027");
    }

    [Theory]
    [InlineData(DayOfWeek.Monday, "2025-12-29")]
    [InlineData(DayOfWeek.Sunday, "2025-12-28")]
    [InlineData(DayOfWeek.Saturday, "2025-12-27")]
    [InlineData(DayOfWeek.Thursday, "2026-01-01")]
    [InlineData(DayOfWeek.Friday, "2025-12-26")]
    public void Given_new_years_day_2026_a_thursday_When_bucketed_by_week_Then_week_begins_on_the_tenants_week_start(DayOfWeek weekStart, string start)
    {
        var calendar = Utc with { WeekStart = weekStart };
        var week = calendar.PeriodOf(new DateOnly(2026, 1, 1), PeriodKind.Week);
        week.Start.ShouldBe(DateOnly.Parse(start));
        week.End.ShouldBe(week.Start.AddDays(7));
        week.Start.DayOfWeek.ShouldBe(weekStart);
    }

    [Fact]
    public void Given_week_straddling_the_year_end_When_bucketed_Then_both_years_share_one_week()
    {
        Shanghai.PeriodOf(new DateOnly(2025, 12, 31), PeriodKind.Week).ShouldBe(Shanghai.PeriodOf(new DateOnly(2026, 1, 4), PeriodKind.Week));
        Shanghai.PeriodOf(new DateOnly(2026, 1, 5), PeriodKind.Week).Label.ShouldBe("week of 2026-01-05");
    }

    [Fact]
    public void Given_sunday_evening_utc_When_bucketed_in_shanghai_with_monday_weeks_Then_it_is_already_the_next_week()
    {
        var sundayEveningUtc = new DateTimeOffset(2026, 1, 4, 18, 0, 0, TimeSpan.Zero); // Monday 02:00 in Shanghai
        Utc.PeriodOf(sundayEveningUtc, PeriodKind.Week).Start.ShouldBe(new DateOnly(2025, 12, 29));
        Shanghai.PeriodOf(sundayEveningUtc, PeriodKind.Week).Start.ShouldBe(new DateOnly(2026, 1, 5));
    }

    [Fact]
    public void Given_month_in_shanghai_When_bounds_Then_local_midnights_as_instants()
    {
        var january = Shanghai.PeriodOf(new DateOnly(2027, 1, 15), PeriodKind.Month);
        var (from, until) = Shanghai.Bounds(january);
        from.ShouldBe(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero));
        until.ShouldBe(new DateTimeOffset(2027, 1, 31, 16, 0, 0, TimeSpan.Zero));
        Shanghai.Contains(january, NewYearsEveAfternoonUtc).ShouldBeTrue();
        Shanghai.Contains(january, from.AddTicks(-1)).ShouldBeFalse();
    }

    [Fact]
    public void Given_march_in_new_york_When_bounds_Then_begins_in_winter_time_and_ends_in_summer_time()
    {
        var (from, until) = NewYork.Bounds(new Period(PeriodKind.Month, new DateOnly(2026, 3, 1)));
        from.ShouldBe(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero));
        until.ShouldBe(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Given_havana_skips_midnight_on_8_march_2026_When_day_begins_Then_at_01_00_when_the_clock_jumps()
    {
        // Cuba moves its clocks from 00:00 to 01:00 (UTC−5 to UTC−4): local midnight never happens that day.
        var havana = PeriodCalendar.For("America/Havana");
        havana.StartOf(new DateOnly(2026, 3, 8)).ShouldBe(new DateTimeOffset(2026, 3, 8, 1, 0, 0, TimeSpan.FromHours(-4)));
    }

    [Fact]
    public void Given_mid_january_When_last_three_months_Then_oldest_first_ending_with_the_current_month()
    {
        var now = new DateTimeOffset(2027, 1, 15, 3, 0, 0, TimeSpan.Zero);
        Shanghai.Last(3, PeriodKind.Month, now).Select(p => p.Label).ShouldBe(["2026-11", "2026-12", "2027-01"]);
        Shanghai.Last(3, PeriodKind.Month, now, includeCurrent: false).Select(p => p.Label).ShouldBe(["2026-10", "2026-11", "2026-12"]);
        Shanghai.Last(4, PeriodKind.Quarter, now).Select(p => p.Label).ShouldBe(["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]);
        Shanghai.Last(0, PeriodKind.Year, now).ShouldBeEmpty();
    }

    [Fact]
    public void Given_scores_over_months_When_bucketed_for_a_trend_Then_each_lands_in_its_local_month_and_old_ones_drop_out()
    {
        var now = new DateTimeOffset(2027, 1, 20, 0, 0, 0, TimeSpan.Zero);
        (DateTimeOffset At, int Score)[] answers =
        [
            (new(2026, 10, 31, 12, 0, 0, TimeSpan.Zero), 1),   // October: outside the three months
            (new(2026, 11, 30, 16, 30, 0, TimeSpan.Zero), 9),  // 1 December 00:30 in Shanghai
            (new(2026, 11, 30, 15, 30, 0, TimeSpan.Zero), 8),  // 30 November 23:30 in Shanghai
            (NewYearsEveAfternoonUtc, 10),                     // 1 January in Shanghai
        ];
        var buckets = Shanghai.Bucket(answers, a => a.At, PeriodKind.Month, 3, now);
        buckets.Select(b => (b.Period.Label, string.Join(",", b.Items.Select(i => i.Score)))).ShouldBe(
            [("2026-11", "8"), ("2026-12", "9"), ("2027-01", "10")]);
    }

    [Fact]
    public void Given_periods_When_stepping_Then_months_quarters_and_years_roll_over_the_year_end()
    {
        new Period(PeriodKind.Month, new DateOnly(2026, 12, 1)).Next().Label.ShouldBe("2027-01");
        new Period(PeriodKind.Quarter, new DateOnly(2026, 1, 1)).Previous().Label.ShouldBe("2025-Q4");
        new Period(PeriodKind.Year, new DateOnly(2026, 1, 1)).End.ShouldBe(new DateOnly(2027, 1, 1));
        new Period(PeriodKind.Week, new DateOnly(2025, 12, 29)).Previous().Start.ShouldBe(new DateOnly(2025, 12, 22));
    }

    [Fact]
    public void Given_month_quarter_or_year_not_on_its_first_day_When_created_Then_rejected()
    {
        Should.Throw<ArgumentException>(() => new Period(PeriodKind.Month, new DateOnly(2026, 1, 15)));
        Should.Throw<ArgumentException>(() => new Period(PeriodKind.Quarter, new DateOnly(2026, 2, 1)));
        Should.Throw<ArgumentException>(() => new Period(PeriodKind.Year, new DateOnly(2026, 4, 1)));
        new Period(PeriodKind.Week, new DateOnly(2026, 1, 15)).End.ShouldBe(new DateOnly(2026, 1, 22));
    }
}
