using Survey.Api.Analytics.Attribution;

namespace Survey.Tests.Api.Analytics;

/// <summary>The text form of keyed scores in the fact table's score_points column, which the aggregate queries unnest and read back.</summary>
public class ScorePointTests
{
    [Fact]
    public void A_point_reads_back_as_written_even_when_its_key_holds_the_separator()
    {
        var text = ScorePoint.Format("lounge|wait", new KeyedScore(4, 1, 5, "rating"));
        text.ShouldBe("4|1|5|rating|lounge|wait");
        ScorePoint.Parse(text).ShouldBe(("lounge|wait", new KeyedScore(4, 1, 5, "rating")));
        ScorePoint.Parse("x|1|5|rating|lounge").ShouldBeNull();
    }

    [Fact]
    public void The_fact_lists_its_points_in_key_order()
    {
        var fact = new ResponseFact { Scores = { ["price"] = new(2, 1, 5, "rating"), ["nps"] = new(9, 0, 10, "nps") } };
        fact.ScorePoints.ShouldBe(["9|0|10|nps|nps", "2|1|5|rating|price"]);
    }

    [Theory]
    [InlineData("lounge", "%|lounge")]
    [InlineData("50%_off", @"%|50\%\_off")]
    public void A_key_pattern_escapes_like_wildcards(string key, string pattern) => ScorePoint.LikePattern(key).ShouldBe(pattern);
}
