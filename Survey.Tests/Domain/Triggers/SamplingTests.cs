using Survey.Domain.Triggers.Firing;
using static Survey.Tests.Domain.Triggers.TriggerSamples;

namespace Survey.Tests.Domain.Triggers;

public class SamplingTests
{
    [Fact]
    public void Given_same_seed_When_decided_again_Then_same_answer()
    {
        var seed = Sampling.Seed(TriggerId, "RO-1001");
        var first = Sampling.Includes(50, seed);
        Enumerable.Range(0, 20).Select(_ => Sampling.Includes(50, seed)).ShouldAllBe(x => x == first);
    }

    [Fact]
    public void Position_is_a_stable_hash_not_a_per_process_one()
    {
        // first 53 bits of SHA-256("abc") = ba7816bf8f01cfea..., as a fraction
        Sampling.Position("abc").ShouldBe(0.7283949105904021, tolerance: 1e-15);
        Sampling.Seed(TriggerId, "RO-1001").ShouldBe("0195f0000000700080000000000000a1:RO-1001");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(33.3)]
    [InlineData(50)]
    [InlineData(90)]
    [InlineData(100)]
    public void Given_rate_When_10000_events_are_sampled_Then_the_included_share_is_close_to_the_rate(double rate)
    {
        var included = Enumerable.Range(0, 10_000).Count(i => Sampling.Includes((decimal)rate, Sampling.Seed(TriggerId, $"RO-{i}")));
        var share = included / 100.0;
        if (rate is 0 or 100) share.ShouldBe(rate);
        else share.ShouldBe(rate, tolerance: 2.0); // 4 standard deviations at 50 % is 2 points
    }

    [Fact]
    public void Given_rate_raised_When_sampled_Then_everyone_in_the_smaller_sample_stays_in()
    {
        var seeds = Enumerable.Range(0, 2_000).Select(i => Sampling.Seed(TriggerId, $"RO-{i}")).ToList();
        seeds.Where(s => Sampling.Includes(20, s)).ShouldAllBe(s => Sampling.Includes(50, s));
    }

    [Fact]
    public void Given_two_triggers_When_same_event_sampled_Then_draws_are_independent()
    {
        var other = Guid.Parse("0195f000-0000-7000-8000-0000000000a2");
        var both = Enumerable.Range(0, 10_000).Count(i => Sampling.Includes(50, Sampling.Seed(TriggerId, $"RO-{i}")) && Sampling.Includes(50, Sampling.Seed(other, $"RO-{i}")));
        (both / 100.0).ShouldBe(25, tolerance: 2.0);
    }
}
