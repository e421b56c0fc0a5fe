using Survey.Domain.Analytics;
using Survey.Domain.Analytics.Periods;

namespace Survey.Tests.Domain.Analytics;

public class RankingTests
{
    private static RankEntry Dealer(string code, string region, double score) => new(code, region, Reported.Shown(score));

    private static RankEntry Suppressed(string code, string region, int responses) =>
        new(code, region, Reported<double>.Suppressed(SampleRules.Default.Check(responses)!));

    private static readonly RankEntry[] Dealers =
    [
        Dealer("N1", "NORTH", 80), Dealer("N2", "NORTH", 75), Dealer("N3", "NORTH", 75), Dealer("N4", "NORTH", 70),
        Dealer("S1", "SOUTH", 75.04), // shows as 75.0: tied with N2 and N3
        Dealer("S2", "SOUTH", 60),
        Suppressed("S3", "SOUTH", responses: 12),
        Suppressed("N5", "NORTH", responses: 3),
    ];

    [Fact]
    public void Given_tied_scores_When_ranked_nationally_Then_competition_ranking_1_2_2_2_5_6()
    {
        var ranks = Ranking.Rank(Dealers);
        ranks.Where(r => r.National is not null).Select(r => (r.DealerCode, r.National!.Position, r.National.OutOf)).ShouldBe(
        [
            ("N1", 1, 6), ("N2", 2, 6), ("N3", 2, 6), ("S1", 2, 6), ("N4", 5, 6), ("S2", 6, 6),
        ]);
    }

    [Fact]
    public void Given_tied_scores_When_ranked_in_region_Then_1_2_2_4_within_each_region()
    {
        var ranks = Ranking.Rank(Dealers).ToDictionary(r => r.DealerCode);
        new[] { "N1", "N2", "N3", "N4" }.Select(c => ranks[c].InRegion!.ToString()).ShouldBe(["1/4", "2/4", "2/4", "4/4"]);
        new[] { "S1", "S2" }.Select(c => ranks[c].InRegion!.ToString()).ShouldBe(["1/2", "2/2"]);
    }

    [Fact]
    public void Given_suppressed_dealers_When_ranked_Then_unranked_with_their_reason_and_not_counted()
    {
        var ranks = Ranking.Rank(Dealers);
        ranks.TakeLast(2).Select(r => (r.DealerCode, r.InRegion, r.National, r.Unranked!.Code)).ShouldBe(
        [
            ("N5", (Rank?)null, (Rank?)null, "too-few-responses"),
            ("S3", null, null, "insufficient-sample"),
        ]);
    }

    [Fact]
    public void Given_two_decimals_When_ranked_Then_75_04_is_ahead_of_75()
    {
        var ranks = Ranking.Rank(Dealers, decimals: 2).ToDictionary(r => r.DealerCode);
        ranks["S1"].National!.Position.ShouldBe(2);
        ranks["N2"].National!.Position.ShouldBe(3);
        ranks["N3"].National!.Position.ShouldBe(3);
    }

    [Fact]
    public void Given_every_dealer_suppressed_or_none_When_ranked_Then_nobody_is_ranked()
    {
        Ranking.Rank([Suppressed("A", "R", 0)]).Single().Unranked!.Code.ShouldBe("no-data");
        Ranking.Rank([]).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_dealer_listed_twice_When_ranked_Then_rejected()
    {
        Should.Throw<ArgumentException>(() => Ranking.Rank([Dealer("A", "R", 1), Dealer("A", "R", 2)]));
    }
}
