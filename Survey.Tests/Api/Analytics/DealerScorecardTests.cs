using System.Net;
using Survey.Api.Analytics.Endpoints;
using Survey.Api.Analytics.Scorecards;
using Survey.Api.Analytics.Settings;
using Survey.Domain.Analytics.Index;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Analytics;

/// <summary>
/// Scorecards, league table, metrics and scoping over responses given through the public API. Every expected figure is worked out by
/// hand in the comments (index = ½·(NPS+100)/2 + ½·(lounge mean − 1)/4·100, minimum sample 5).
/// </summary>
public class DealerScorecardTests(AnalyticsApiFixture api) : IClassFixture<AnalyticsApiFixture>
{
    private const string November = "period=month&date=2026-11-15";
    private readonly AnalyticsWorld _world = new(api, api.CreateClient());
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<AnalyticsApiFixture, bool> Seeded = [];

    private async Task Seed()
    {
        await Once.WaitAsync();
        try
        {
            if (Seeded.ContainsKey(api)) return;
            await _world.Setup(("EAST", ["E1", "E2", "E3"]), ("WEST", ["W1"]));
            var index = new IndexRequest([IndexComponent.Nps(1), IndexComponent.Attribute("lounge", 1)], MinimumSample: 5);
            (await api.CreateClient().Send(HttpMethod.Post, "/api/analytics/settings/index", index)).StatusCode.ShouldBe(HttpStatusCode.Created);

            // E1: NPS 10 9 9 7 3 0 (3 promoters, 1 passive, 2 detractors), lounge 5 4 4 3 2 1; one started but not completed; one sent, never answered
            await _world.Answer("E1", 10, 5, "Great lounge");
            await _world.Answer("E1", 9, 4);
            await _world.Answer("E1", 9, 4);
            await _world.Answer("E1", 7, 3);
            await _world.Answer("E1", 3, 2, "Rude staff");
            await _world.Answer("E1", 0, 1, "Waited two hours");
            await _world.Answer("E1", 8, 3, complete: false);
            await _world.Visit("E1");
            // E2 and E3 answer alike: NPS 10 10 8 8 6, lounge 5 5 4 4 3 (E3's cars are Q5s)
            foreach (var (dealer, model) in new[] { ("E2", "A6L"), ("E3", "Q5") })
                foreach (var (nps, lounge) in new[] { (10, 5), (10, 5), (8, 4), (8, 4), (6, 3) })
                    await _world.Answer(dealer, nps, lounge, vehicleModel: model);
            // W1: three responses, under the anonymity floor
            await _world.Answer("W1", 10, 5);
            await _world.Answer("W1", 9, 5);
            await _world.Answer("W1", 2, 1, "Never again");
            await _world.Projected();
            Seeded[api] = true;
        }
        finally { Once.Release(); }
    }

    [Fact]
    public async Task A_dealer_scorecard_has_the_hand_computed_index_nps_split_rates_ranks_gaps_verbatims_and_its_cases()
    {
        await Seed();
        var card = await _world.Get<DealerScorecard>($"/api/analytics/dealers/E1/scorecard?{November}");

        card.Period.Label.ShouldBe("2026-11");
        card.Responses.ShouldBe(6);
        var nps = card.Nps.Value.ShouldNotBeNull();
        (nps.Promoters, nps.Passives, nps.Detractors).ShouldBe((3, 1, 2));
        nps.Score.ShouldBe(16.667, 0.001);                 // (3 − 2) / 6
        nps.MarginOfError.ShouldBe(71.817, 0.01);          // 196 · sqrt((0.5 + 0.3333 − 0.1667²) / 6)
        var index = card.Index.Value.ShouldNotBeNull();
        index.Value.ShouldBe(56.25, 0.001);                // ½ · 58.333 + ½ · 54.167
        index.SampleSize.ShouldBe(6);
        index.Version.ShouldBe(1);
        card.ResponseRate.Value!.Percent.ShouldBe(75, 0.001); // 6 answered of 8 sent
        (card.CompletionRate.Value!.Count, card.CompletionRate.Value.OutOf).ShouldBe((6, 7));

        // E2 and E3 tie at 70 (½ · 60 + ½ · 80): both first, E1 third; W1 has too few responses to be ranked
        card.Rank.ShouldBe(new RankView(3, 3, 3, 3, null));
        var gap = card.DriverGaps.ShouldHaveSingleItem();
        gap.Key.ShouldBe("lounge");
        gap.Dealer.Value!.Value.ShouldBe(54.167, 0.001);   // mean 19/6
        gap.Region.Value!.Value.ShouldBe(70.3125, 0.0001); // EAST: 61/16
        gap.Gap.Value!.Value.ShouldBe(-16.146, 0.001);

        card.Verbatims.Select(v => (v.Nps, v.Texts.Single().Text)).ShouldBe([(0, "Waited two hours"), (3, "Rude staff"), (10, "Great lounge")]);
        // no case rules in this world: the cases section is there, with nothing open and no SLA figure yet
        card.Cases.Available.ShouldBeTrue();
        card.Cases.Figures.ShouldBe(new DealerCaseFigures(0, 0, null, null));
        card.NpsChange.Suppressed.ShouldBe("no-data");      // nothing in October
        card.Trend.Count.ShouldBe(6);
        card.Trend[^1].Index.Value!.Value.ShouldBe(56.25, 0.001);
        card.Trend[0].Index.Suppressed.ShouldBe("no-data");
    }

    [Fact]
    public async Task Below_the_anonymity_floor_nothing_from_answers_is_shown()
    {
        await Seed();
        var card = await _world.Get<DealerScorecard>($"/api/analytics/dealers/W1/scorecard?{November}");
        card.Responses.ShouldBe(3);
        card.Index.Suppressed.ShouldBe("too-few-responses");
        card.Nps.Suppressed.ShouldBe("too-few-responses");
        card.Nps.Value.ShouldBeNull();
        card.Verbatims.ShouldBeEmpty();
        card.Rank.Unranked.ShouldBe("too-few-responses");
        card.ResponseRate.Value!.Percent.ShouldBe(100);     // counts of invitations are not answers
    }

    [Fact]
    public async Task The_league_table_ranks_regions_and_dealers_with_ties_sharing_a_place()
    {
        await Seed();
        var league = await _world.Get<LeagueTable>($"/api/analytics/league?{November}");
        league.Dealers.Select(d => (d.Rank, d.Code)).ShouldBe([(1, "E2"), (1, "E3"), (3, "E1"), (null, "W1")]);
        league.Dealers[0].Index.Value!.Value.ShouldBe(70, 0.001);
        // EAST: 7 promoters, 5 passives, 4 detractors of 16 → NPS 18.75; lounge 61/16 → 70.3125; index ½ · 59.375 + ½ · 70.3125
        var east = league.Regions.Single(r => r.Code == "EAST");
        (east.Rank, east.Responses).ShouldBe((1, 16));
        east.Index.Value!.Value.ShouldBe(64.84375, 0.0001);
        east.Nps.Value!.Value.ShouldBe(18.75, 0.0001);
        league.Regions.Single(r => r.Code == "WEST").Index.Suppressed.ShouldBe("too-few-responses");
    }

    [Fact]
    public async Task The_league_from_its_own_narrow_query_agrees_with_the_scorecards_on_ranks_index_nps_and_responses()
    {
        await Seed();
        var cards = await _world.Get<List<DealerScorecard>>($"/api/analytics/scorecards?{November}");
        var league = await _world.Get<LeagueTable>($"/api/analytics/league?{November}");
        league.Dealers.Count.ShouldBe(cards.Count);
        foreach (var card in cards)
        {
            var row = league.Dealers.Single(d => d.Code == card.DealerCode);
            (row.Rank, row.OutOf, row.Responses).ShouldBe((card.Rank.National, card.Rank.NationalOutOf, card.Responses), card.DealerCode);
            row.Index.Value.ShouldBe(card.Index.Value?.Value);
            row.Index.Suppressed.ShouldBe(card.Index.Suppressed);
            row.Nps.Value.ShouldBe(card.Nps.Value?.Score);
            row.Nps.Suppressed.ShouldBe(card.Nps.Suppressed);
        }
        // the same in one region: places within the region
        var east = await _world.Get<LeagueTable>($"/api/analytics/league?{November}&region=EAST");
        east.Dealers.Select(d => (d.Code, d.Rank)).ShouldBe(cards.Where(c => c.RegionCode == "EAST").OrderBy(c => c.Rank.InRegion ?? int.MaxValue).ThenBy(c => c.DealerCode)
            .Select(c => (c.DealerCode, c.Rank.InRegion)), ignoreOrder: true);
    }

    [Fact]
    public async Task Metrics_slice_by_touchpoint_and_operational_attribute()
    {
        await Seed();
        var q5 = await _world.Get<MetricsResult>($"/api/analytics/metrics?{November}&touchpoint=service.completed&attr.vehicleModel=Q5");
        q5.Figures.Responses.ShouldBe(5);
        q5.Figures.Nps.Value!.Score.ShouldBe(20, 0.001);   // (2 − 1) / 5
        var lounge = q5.Figures.Questions.Single(q => q.Key == "lounge").Summary.Value!;
        lounge.Mean.ShouldBe(4.2, 0.0001);
        lounge.Distribution.Select(p => p.Count).ShouldBe([0, 0, 1, 2, 2]);

        var east = await _world.Get<MetricsResult>($"/api/analytics/metrics?{November}&region=EAST&channel=sms");
        east.Figures.Responses.ShouldBe(16);
        east.Figures.Nps.Value!.Score.ShouldBe(18.75, 0.0001);
        (await _world.Get<MetricsResult>($"/api/analytics/metrics?{November}&touchpoint=order.paid")).Figures.Nps.Suppressed.ShouldBe("no-data");

        var bad = await api.CreateClient().GetAsync("/api/analytics/metrics?period=fortnight&date=2026-13-01&trigger=nope");
        (await bad.Problem(HttpStatusCode.BadRequest)).ErrorPaths().ShouldBe(["trigger"], ignoreOrder: true);
    }

    [Fact]
    public async Task Scoping_is_one_resolver_a_dealer_sees_only_itself_and_another_dealers_scorecard_is_not_found()
    {
        await Seed();
        (await _world.Get<DealerScorecard>($"/api/analytics/dealers/E1/scorecard?{November}", scope: "dealer:E1")).Responses.ShouldBe(6);
        await _world.Get<object>($"/api/analytics/dealers/E2/scorecard?{November}", scope: "dealer:E1", expected: HttpStatusCode.NotFound);
        await _world.Get<object>($"/api/analytics/dealers/E1/scorecard?{November}", scope: "regions:WEST", expected: HttpStatusCode.NotFound);
        (await _world.Get<MetricsResult>($"/api/analytics/metrics?{November}", scope: "dealer:E1")).Figures.Responses.ShouldBe(6);
        (await _world.Get<MetricsResult>($"/api/analytics/metrics?{November}", scope: "regions:WEST")).Figures.Responses.ShouldBe(3);
        var league = await _world.Get<LeagueTable>($"/api/analytics/league?{November}", scope: "dealer:E1");
        league.Dealers.Select(d => (d.Rank, d.Code)).ShouldBe([(3, "E1")]); // its national place, nobody else's figures
        (await _world.Get<List<DealerScorecard>>($"/api/analytics/scorecards?{November}", scope: "regions:WEST")).Select(c => c.DealerCode).ShouldBe(["W1"]);
    }

    [Fact]
    public async Task Driver_analysis_gives_importance_performance_and_quadrant_and_is_withheld_for_a_small_slice()
    {
        await Seed();
        var report = await _world.Get<DriverReport>($"/api/analytics/drivers?{November}");
        report.Respondents.ShouldBe(19);
        report.Method.ShouldBe("ShapleyR2"); // one attribute, 19 complete responses ≥ 10 per attribute
        var lounge = report.Drivers.ShouldHaveSingleItem();
        lounge.Key.ShouldBe("lounge");
        lounge.Importance.ShouldBe(1, 0.0001);                                  // the only driver carries all of R²
        report.RSquared!.Value.ShouldBe(lounge.Correlation * lounge.Correlation, 0.0001); // one predictor: R² = r²
        lounge.Correlation.ShouldBeGreaterThan(0.9);                          // the seeded lounge scores follow NPS closely
        lounge.Performance.Value!.Value.ShouldBe((72.0 / 19 - 1) / 4 * 100, 0.001); // lounge sum 19 + 21 + 21 + 11 over 19 answers
        lounge.Quadrant.ShouldBe("maintain");

        var small = await api.CreateClient().GetAsync($"/api/analytics/drivers?{November}&region=WEST");
        (await small.Problem(HttpStatusCode.Conflict))["code"]?.GetValue<string>().ShouldBe("too-few-responses");
    }
}
