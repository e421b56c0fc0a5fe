using System.Net;
using Survey.Api.Respondents;
using Survey.Api.Respondents.Distribution;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

/// <summary>
/// CORS of the public endpoints keeps each node's answer for an origin a few seconds (RegisteredOrigins). Two real nodes on
/// one database: the node that changes a widget key's origins answers with the new ones at once, the other within the time
/// an answer is kept.
/// </summary>
public class PublicCorsTests : TwoNodes
{

    private const string Shop = "https://shop.example.com";
    private const string NewShop = "https://new-shop.example.com";

    [Fact]
    public async Task A_changed_widget_key_is_served_with_its_new_origins_at_once_here_and_within_seconds_elsewhere()
    {
        var admin = NodeA.CreateClient();
        var questionnaire = await new Respondent(admin).PublishedSurvey();
        WidgetKeyRequest Request(params string[] origins) =>
            new("Shop", origins, [new Placement("checkout", questionnaire, PlacementMode.Popover, new ShowRules(AfterSeconds: 3))]);
        var key = await (await admin.Send(HttpMethod.Post, "/api/widget-keys", Request(Shop))).Read<WidgetKey>(HttpStatusCode.Created);

        (await Allows(NodeA, Shop)).ShouldBeTrue();
        (await Allows(NodeB, Shop)).ShouldBeTrue();
        (await Allows(NodeA, NewShop)).ShouldBeFalse();
        (await Allows(NodeB, NewShop)).ShouldBeFalse();

        // the new site is added on node A: A allows it at once, B once its answer is older than what it keeps
        (await admin.Send(HttpMethod.Put, $"/api/widget-keys/{key.Id}", Request(Shop, NewShop))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Allows(NodeA, NewShop)).ShouldBeTrue();
        (await Allows(NodeB, NewShop)).ShouldBeFalse();
        NodeB.Time.Advance(RegisteredOrigins.KeptFor);
        (await Allows(NodeB, NewShop)).ShouldBeTrue();
        (await Allows(NodeB, Shop)).ShouldBeTrue(); // read again: B keeps this answer from now on

        // the old site is removed: the same on the way out
        (await admin.Send(HttpMethod.Put, $"/api/widget-keys/{key.Id}", Request(NewShop))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Allows(NodeA, Shop)).ShouldBeFalse();
        (await Allows(NodeB, Shop)).ShouldBeTrue();
        NodeB.Time.Advance(RegisteredOrigins.KeptFor);
        (await Allows(NodeB, Shop)).ShouldBeFalse();
        (await Allows(NodeB, NewShop)).ShouldBeTrue();

        // a plain request from a registered site carries the header too
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/public/widget/{key.Id}");
        read.Headers.Add("Origin", NewShop);
        var answer = await NodeB.CreateClient().SendAsync(read);
        answer.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([NewShop]);
    }

    private static async Task<bool> Allows(ApiFixture node, string origin)
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/public/responses/{Guid.NewGuid()}");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        var answer = await node.Anonymous().SendAsync(preflight);
        answer.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return answer.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin;
    }
}
