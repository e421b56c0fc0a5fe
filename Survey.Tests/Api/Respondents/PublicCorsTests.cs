using System.Net;
using System.Security.Cryptography;
using Survey.Api.Respondents;
using Survey.Api.Respondents.Distribution;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

/// <summary>
/// CORS of the public endpoints keeps each node's answer for an origin a few seconds (RegisteredOrigins). Two real nodes on
/// one database: the node that changes a widget key's origins answers with the new ones at once, the other within the time
/// an answer is kept.
/// </summary>
public class PublicCorsTests : IAsyncLifetime
{
    private sealed class Node(string connectionString, string masterKey) : ApiFixture(connectionString)
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Privacy:MasterKey"] = masterKey,
            ["Storage:RunJobServer"] = "false",
        };
    }

    private const string Shop = "https://shop.example.com";
    private const string NewShop = "https://new-shop.example.com";
    private readonly string _database = TestPostgres.CreateDatabase();
    private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private Node _a = null!, _b = null!;

    public Task InitializeAsync()
    {
        _a = new Node(_database, _key);
        _b = new Node(_database, _key);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task A_changed_widget_key_is_served_with_its_new_origins_at_once_here_and_within_seconds_elsewhere()
    {
        var admin = _a.CreateClient();
        var questionnaire = await new Respondent(admin).PublishedSurvey();
        WidgetKeyRequest Request(params string[] origins) =>
            new("Shop", origins, [new Placement("checkout", questionnaire, PlacementMode.Popover, new ShowRules(AfterSeconds: 3))]);
        var key = await (await admin.Send(HttpMethod.Post, "/api/widget-keys", Request(Shop))).Read<WidgetKey>(HttpStatusCode.Created);

        (await Allows(_a, Shop)).ShouldBeTrue();
        (await Allows(_b, Shop)).ShouldBeTrue();
        (await Allows(_a, NewShop)).ShouldBeFalse();
        (await Allows(_b, NewShop)).ShouldBeFalse();

        // the new site is added on node A: A allows it at once, B once its answer is older than what it keeps
        (await admin.Send(HttpMethod.Put, $"/api/widget-keys/{key.Id}", Request(Shop, NewShop))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Allows(_a, NewShop)).ShouldBeTrue();
        (await Allows(_b, NewShop)).ShouldBeFalse();
        _b.Time.Advance(RegisteredOrigins.KeptFor);
        (await Allows(_b, NewShop)).ShouldBeTrue();
        (await Allows(_b, Shop)).ShouldBeTrue(); // read again: B keeps this answer from now on

        // the old site is removed: the same on the way out
        (await admin.Send(HttpMethod.Put, $"/api/widget-keys/{key.Id}", Request(NewShop))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Allows(_a, Shop)).ShouldBeFalse();
        (await Allows(_b, Shop)).ShouldBeTrue();
        _b.Time.Advance(RegisteredOrigins.KeptFor);
        (await Allows(_b, Shop)).ShouldBeFalse();
        (await Allows(_b, NewShop)).ShouldBeTrue();

        // a plain request from a registered site carries the header too
        var read = new HttpRequestMessage(HttpMethod.Get, $"/api/public/widget/{key.Id}");
        read.Headers.Add("Origin", NewShop);
        var answer = await _b.CreateClient().SendAsync(read);
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
