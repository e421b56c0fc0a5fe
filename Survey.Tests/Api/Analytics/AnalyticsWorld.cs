using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Analytics.Scoping;
using Survey.Api.Invitations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents;
using Survey.Api.Respondents.Answering;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Triggers;
using Survey.Tests.Api.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Analytics;

/// <summary>
/// The API with an outbox for SMS. Scoped requests sign in as a dealer manager ("dealer:E1") or a regional manager
/// ("regions:EAST,WEST"); others as the fixture's tenant administrator.
/// </summary>
public sealed class AnalyticsApiFixture : ApiFixture
{
    public string Outbox { get; } = Directory.CreateTempSubdirectory("survey-analytics-outbox-").FullName;
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Channels:OutboxDirectory"] = Outbox };

}

/// <summary>
/// A small company set up through the public API: regions, dealers, a published questionnaire (NPS, a 1-5 "lounge" rating, a comment),
/// a trigger on service.completed sending by SMS, and customers answering the invitations the trigger made.
/// </summary>
public sealed class AnalyticsWorld(AnalyticsApiFixture api, HttpClient client)
{
    private string _key = "";
    private static int _next;
    public Guid QuestionnaireId { get; private set; }

    public static Question Lounge => new("lounge", QuestionType.Rating, Text("How was the lounge?", "休息区怎么样？"), ScaleMin: 1, ScaleMax: 5);

    public async Task Setup(params (string Region, string[] Dealers)[] regions)
    {
        foreach (var (region, dealers) in regions)
        {
            (await client.Send(HttpMethod.Put, $"/api/regions/{region}", new Region(region, new LocalizedName(region + "区", region), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
            foreach (var dealer in dealers) await PutDealer(dealer, region);
        }
        var created = await (await client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps(), Lounge, Comment())))
            .Read<QuestionnaireView>(HttpStatusCode.Created);
        (await client.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        QuestionnaireId = created.Id;
        var trigger = new TriggerDefinition("After service", "service.completed", [], QuestionnaireId, TimeSpan.Zero, null, [Channel.Sms], 100m, TimeSpan.FromDays(14));
        var made = await (await client.Send(HttpMethod.Post, "/api/triggers", trigger)).Read<Trigger>(HttpStatusCode.Created);
        (await client.PostAsync($"/api/triggers/{made.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _key = (await (await client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
    }

    public async Task PutDealer(string dealer, string region) =>
        (await client.Send(HttpMethod.Put, $"/api/dealers/{dealer}", new Dealer(dealer, new LocalizedName(dealer + "店", dealer), region, "Asia/Shanghai", null, [])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

    /// <summary>A service visit at the dealer; the trigger schedules an invitation, the dispatcher sends it. Returns the invitation.</summary>
    public async Task<Invitation> Visit(string dealer, string vehicleModel = "A6L")
    {
        var n = Interlocked.Increment(ref _next);
        var json = $$"""
            { "externalId": "RO-{{n}}", "type": "service.completed", "occurredAt": "{{api.Time.GetUtcNow().AddHours(-1):O}}", "dealerCode": "{{dealer}}",
              "customer": { "externalId": "C-{{n}}", "name": "王伟", "mobile": "1381234{{n:0000}}", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] },
              "attributes": { "vehicleModel": "{{vehicleModel}}", "advisor": "A-7" } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", _key);
        (await (await client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services).Run(CancellationToken.None);
        await using var session = Store.QuerySession(Tenancy.DefaultTenant);
        var invitation = await session.Query<Invitation>().SingleAsync(i => i.EventExternalId == $"RO-{n}");
        invitation.Status.ShouldBe(InvitationStatus.Sent);
        return invitation;
    }

    /// <summary>A customer of the dealer answers the invitation (and completes, unless told not to).</summary>
    public async Task<Guid> Answer(string dealer, int nps, int lounge, string? comment = null, bool complete = true, string vehicleModel = "A6L")
    {
        var invitation = await Visit(dealer, vehicleModel);
        var token = await api.Services.GetRequiredService<InvitationTokens>().Issue(
            new InvitationClaims(Tenancy.DefaultTenant, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), CancellationToken.None);
        var responseId = Guid.NewGuid();
        var start = new HttpRequestMessage(HttpMethod.Put, $"/api/public/responses/{responseId}")
        {
            Content = JsonContent.Create(new StartRequest(new SourceView("invitation", Token: token), "en", "sms", "mobile"), options: Http.Json),
        };
        (await client.SendAsync(start)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var answers = new Dictionary<string, object> { ["nps"] = nps, ["lounge"] = lounge };
        if (comment is not null) answers["comment"] = comment;
        var url = complete ? $"/api/public/responses/{responseId}/complete" : $"/api/public/responses/{responseId}/saves";
        var saved = await client.PostAsync(url, JsonContent.Create(new { sequence = 1, answers }, options: Http.Json));
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        return responseId;
    }

    public IDocumentStore Store => api.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Waits until the async daemon has projected every event appended so far.</summary>
    public Task Projected() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

    public async Task<T> Get<T>(string url, string? scope = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var caller = scope?.Split(':') switch
        {
            null => client,
            ["dealer", var dealer] => api.ClientFor("dealer_manager", dealer: dealer),
            ["regions", var regions] => api.ClientFor("regional_manager", regions: regions.Split(',')),
            _ => throw new ArgumentException($"Unknown scope {scope}.", nameof(scope)),
        };
        return await (await caller.GetAsync(url)).Read<T>(expected);
    }
}
