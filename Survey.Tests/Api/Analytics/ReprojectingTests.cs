using System.Net;
using System.Text.Json;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Analytics.Attribution;
using Survey.Api.Analytics.Endpoints;
using Survey.Api.Analytics.Scorecards;
using Survey.Api.Analytics.Settings;
using Survey.Api.Operations;
using Survey.Api.Storage;
using Survey.Domain.Analytics.Index;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Analytics;

/// <summary>
/// Late and corrected operational data, and rebuilding the attribution projection. Regions are joined when a query runs, so a dealer
/// that moves counts for its new region at once; event attributes are copied when the response starts, so a corrected attribute
/// shows after a rebuild.
/// </summary>
public class ReprojectingTests(AnalyticsApiFixture api) : IClassFixture<AnalyticsApiFixture>
{
    private const string November = "period=month&date=2026-11-15";
    private readonly AnalyticsWorld _world = new(api, api.CreateClient());

    [Fact]
    public async Task Default_minimum_sample_suppresses_a_dealer_move_shows_at_once_a_corrected_attribute_after_a_rebuild_and_rebuild_equals_live()
    {
        await _world.Setup(("EAST", ["E1", "E2"]), ("WEST", ["W1"]));
        // E1: NPS 10 9 9 7 3 0, lounge 5 4 4 3 2 1; E2: NPS 10 10 8 8 6, lounge 5 5 4 4 3; W1: 10 9 2, lounge 5 5 1
        foreach (var (nps, lounge) in new[] { (10, 5), (9, 4), (9, 4), (7, 3), (3, 2), (0, 1) }) await _world.Answer("E1", nps, lounge, nps <= 6 ? "Slow" : null);
        foreach (var (nps, lounge) in new[] { (10, 5), (10, 5), (8, 4), (8, 4), (6, 3) }) await _world.Answer("E2", nps, lounge);
        foreach (var (nps, lounge) in new[] { (10, 5), (9, 5), (2, 1) }) await _world.Answer("W1", nps, lounge, vehicleModel: "Q5");
        await _world.Projected();

        // the default recipe (NPS alone) needs 30 responses: 6 are an insufficient sample, not a figure
        var suppressed = await _world.Get<DealerScorecard>($"/api/analytics/dealers/E1/scorecard?{November}");
        suppressed.Index.Suppressed.ShouldBe("insufficient-sample");
        suppressed.Nps.Suppressed.ShouldBe("insufficient-sample");
        var settings = await _world.Get<SettingsView>("/api/analytics/settings");
        (settings.CurrentIndex.MinimumSample, settings.TimeZone).ShouldBe((30, "Asia/Shanghai"));

        var client = api.CreateClient();
        var refused = await (await client.Send(HttpMethod.Post, "/api/analytics/settings/index", new IndexRequest([IndexComponent.Nps(1), IndexComponent.Attribute("lounge", 1)], 4)))
            .Problem(HttpStatusCode.BadRequest);
        refused.ErrorPaths().ShouldBe(["minimumSample"]);
        (await client.Send(HttpMethod.Post, "/api/analytics/settings/index", new IndexRequest([IndexComponent.Nps(1), IndexComponent.Attribute("lounge", 1)], 5)))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // E1 moves from EAST to WEST: its whole history counts for WEST at once, no rebuild
        var before = await _world.Get<LeagueTable>($"/api/analytics/league?{November}");
        before.Regions.Single(r => r.Code == "EAST").Responses.ShouldBe(11);
        await _world.PutDealer("E1", "WEST");
        var after = await _world.Get<LeagueTable>($"/api/analytics/league?{November}");
        after.Regions.Single(r => r.Code == "EAST").Responses.ShouldBe(5);
        var west = after.Regions.Single(r => r.Code == "WEST");
        west.Responses.ShouldBe(9);
        // WEST now: promoters 3 + 2, passives 1, detractors 2 + 1 of 9 → 22.22; lounge (19 + 11) / 9 → 58.33; index ½ · 61.11 + ½ · 58.33
        west.Nps.Value!.Value.ShouldBe(22.222, 0.001);
        west.Index.Value!.Value.ShouldBe(59.722, 0.001);
        var moved = await _world.Get<DealerScorecard>($"/api/analytics/dealers/E1/scorecard?{November}");
        moved.RegionCode.ShouldBe("WEST");
        moved.Rank.InRegion.ShouldBe(1); // W1 is under the floor, so E1 is alone in WEST's ranking
        moved.DriverGaps.Single().Gap.Value!.Value.ShouldBe(54.1667 - 58.3333, 0.001);

        // an operational system corrects one of W1's events (Q5 → A6L): nothing changes until the projection is rebuilt
        await using (var session = _world.Store.LightweightSession(Tenancy.DefaultTenant))
        {
            var record = (await session.Query<OperationalEventRecord>().ToListAsync()).First(r => r.Event.Attributes["vehicleModel"] == "Q5");
            session.Store(record with { Event = record.Event with { Attributes = new Dictionary<string, string>(record.Event.Attributes) { ["vehicleModel"] = "A6L" } } });
            await session.SaveChangesAsync();
        }
        (await _world.Get<Survey.Api.Analytics.Endpoints.MetricsResult>($"/api/analytics/metrics?{November}&attr.vehicleModel=Q5")).Figures.Responses.ShouldBe(3);

        var liveFacts = await Facts();
        var liveCards = await client.GetStringAsync($"/api/analytics/scorecards?{November}");
        var daemon = api.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync<ResponseFactProjection>(TimeSpan.FromMinutes(2), CancellationToken.None);
        await _world.Projected();

        (await _world.Get<Survey.Api.Analytics.Endpoints.MetricsResult>($"/api/analytics/metrics?{November}&attr.vehicleModel=Q5")).Figures.Responses.ShouldBe(2);
        var rebuiltFacts = await Facts();
        liveFacts.Count.ShouldBe(14);
        rebuiltFacts.Keys.Order().ShouldBe(liveFacts.Keys.Order());
        // rebuild equals live, except the one corrected attribute
        var changed = rebuiltFacts.Where(f => liveFacts[f.Key] != f.Value).Select(f => f.Key).ToList();
        changed.Count.ShouldBe(1);
        liveFacts[changed[0]].ShouldContain("\"Q5\"");
        rebuiltFacts[changed[0]].ShouldBe(liveFacts[changed[0]].Replace("\"Q5\"", "\"A6L\""));
        // and the scorecards (which do not read attributes) are the same to the byte
        (await client.GetStringAsync($"/api/analytics/scorecards?{November}")).ShouldBe(liveCards);
    }

    private async Task<Dictionary<Guid, string>> Facts()
    {
        await using var session = _world.Store.QuerySession(Tenancy.DefaultTenant);
        return (await session.Query<ResponseFact>().ToListAsync()).ToDictionary(f => f.Id, f => JsonSerializer.Serialize(f));
    }
}
