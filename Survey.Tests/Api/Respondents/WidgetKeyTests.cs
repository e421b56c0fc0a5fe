using System.Net;
using Survey.Api.Respondents.Answering;
using Survey.Api.Respondents.Distribution;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public class WidgetKeyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Shop = "https://shop.example.com";
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);

    private async Task<WidgetKey> Key(Guid questionnaireId) =>
        await (await _client.Send(HttpMethod.Post, "/api/widget-keys", new WidgetKeyRequest("Shop", [Shop + "/"],
            [new Placement("checkout", questionnaireId, PlacementMode.Popover, new ShowRules(AfterSeconds: 3, UrlPattern: "/checkout/*", Event: "checkout_completed"),
                RecontactDays: 30, Theme: new Theme(PrimaryColor: "#0f766e")),
             new Placement("footer", questionnaireId, PlacementMode.Inline, new ShowRules(ScrollPercent: 80), Container: "#survey")]))).Read<WidgetKey>(HttpStatusCode.Created);

    [Fact]
    public async Task A_widget_key_publishes_its_placements_and_serves_only_its_sites()
    {
        var questionnaireId = await Respondent.PublishedSurvey();
        var key = await Key(questionnaireId);
        key.Id.ShouldStartWith("pk_");
        key.AllowedOrigins.ShouldBe([Shop]);

        var config = await (await _client.GetAsync($"/api/public/widget/{key.Id}")).Read<WidgetView>();
        config.Placements.Select(p => p.Id).ShouldBe(["checkout", "footer"]);
        config.Placements[0].Theme.PrimaryColor.ShouldBe("#0f766e");
        config.Placements[0].Theme.FontFamily.ShouldNotBeNullOrEmpty(); // defaults fill what the placement leaves out
        config.Placements[0].Show.Event.ShouldBe("checkout_completed");

        var survey = await (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?locale=en")).Read<SurveyView>();
        survey.QuestionnaireId.ShouldBe(questionnaireId);
        survey.Theme.PrimaryColor.ShouldBe("#0f766e");

        // CORS: a preflight from the shop is allowed, from elsewhere it is not
        var preflight = new HttpRequestMessage(HttpMethod.Options, $"/api/public/responses/{Guid.NewGuid()}");
        preflight.Headers.Add("Origin", Shop);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        var allowed = await _client.SendAsync(preflight);
        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Shop]);
        allowed.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        var evil = new HttpRequestMessage(HttpMethod.Options, $"/api/public/responses/{Guid.NewGuid()}");
        evil.Headers.Add("Origin", "https://evil.example.net");
        evil.Headers.Add("Access-Control-Request-Method", "PUT");
        (await _client.SendAsync(evil)).Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();

        // answering from the shop works; another site cannot start or save into a widget response
        var id = Guid.NewGuid();
        var source = new SourceView("widget", PublicKey: key.Id, PlacementId: "checkout");
        var started = await Respondent.Start(id, source, origin: Shop);
        started.StatusCode.ShouldBe(HttpStatusCode.Created);
        started.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([Shop]);
        (await Respondent.Save(id, 1, new { nps = 9 }, origin: Shop)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await Respondent.Start(Guid.NewGuid(), source, origin: "https://evil.example.net")).Problem(HttpStatusCode.Forbidden);
        await (await Respondent.Save(id, 2, new { comment = "x" }, origin: "https://evil.example.net")).Problem(HttpStatusCode.Forbidden);
        (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_visitor_who_answered_or_dismissed_is_not_asked_again_within_the_recontact_days()
    {
        var key = await Key(await Respondent.PublishedSurvey());
        var source = new SourceView("widget", PublicKey: key.Id, PlacementId: "checkout", VisitorId: "v-answers");
        var id = Guid.NewGuid();
        (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=v-answers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Respondent.Start(id, source, origin: Shop)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Respondent.Complete(id, 1, new { nps = 10 })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var again = await (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=v-answers")).Problem(HttpStatusCode.Conflict);
        again["code"]!.GetValue<string>().ShouldBe("recontact-limit");
        await (await Respondent.Start(Guid.NewGuid(), source, origin: Shop)).Problem(HttpStatusCode.Conflict);
        (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/footer?visitorId=v-answers")).StatusCode.ShouldBe(HttpStatusCode.OK); // other placement

        var dismissed = await _client.Send(HttpMethod.Post, $"/api/public/widget/{key.Id}/dismissals", new DismissRequest("checkout", "v-closes"));
        dismissed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        await (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=v-closes")).Problem(HttpStatusCode.Conflict);

        api.Time.Advance(TimeSpan.FromDays(31)); // the placement's recontact limit is 30 days
        (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=v-answers")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=v-closes")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await _client.GetAsync($"/api/public/surveys/by-key/{key.Id}/checkout?visitorId=bad%20id!")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Invalid_widget_keys_are_400_with_every_problem()
    {
        var draftOnly = Guid.NewGuid();
        var request = new WidgetKeyRequest("", ["shop.example.com", "https://ok.example.com/path"],
            [new Placement("Bad Id", draftOnly, PlacementMode.Inline, new ShowRules(AfterSeconds: -1, ScrollPercent: 150), RecontactDays: -2, Theme: new Theme(PrimaryColor: "red", FontFamily: "x;}</style>"))]);
        var problem = await (await _client.Send(HttpMethod.Post, "/api/widget-keys", request)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["name", "allowedOrigins[0]", "allowedOrigins[1]", "placements[0].id", "placements[0].container", "placements[0].recontactDays",
            "placements[0].show.afterSeconds", "placements[0].show.scrollPercent", "placements[0].theme.primaryColor", "placements[0].theme.fontFamily"], ignoreOrder: true);
    }
}
