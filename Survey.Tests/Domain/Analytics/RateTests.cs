using Survey.Domain.Analytics.Metrics;

namespace Survey.Tests.Domain.Analytics;

public class RateTests
{
    [Fact]
    public void Given_30_completed_of_120_delivered_When_response_rate_Then_25_percent()
    {
        var rate = Rates.Response(completed: 30, delivered: 120).Value;
        rate.ShouldBe(new Rate(30, 120));
        rate.Percent.ShouldBe(25);
    }

    [Fact]
    public void Given_45_completed_of_60_started_When_completion_rate_Then_75_percent()
    {
        Rates.Completion(completed: 45, started: 60).Value.Percent.ShouldBe(75);
    }

    [Fact]
    public void Given_nothing_delivered_or_started_When_rates_Then_no_data()
    {
        Rates.Response(0, 0).Suppression!.Code.ShouldBe("no-data");
        Rates.Completion(0, 0).IsSuppressed.ShouldBeTrue();
        Rates.Response(0, 10).Value.Percent.ShouldBe(0);
    }

    [Fact]
    public void Given_more_completed_than_delivered_When_response_rate_Then_rejected()
    {
        Should.Throw<ArgumentException>(() => Rates.Response(11, 10));
        Should.Throw<ArgumentOutOfRangeException>(() => Rates.Completion(-1, 10));
    }
}
