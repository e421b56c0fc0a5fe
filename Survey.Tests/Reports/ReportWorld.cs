using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Analytics.Settings;
using Survey.Api.Invitations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Questionnaires;
using Survey.Api.Respondents;
using Survey.Api.Respondents.Answering;
using Survey.Api.Security;
using Survey.Domain.Analytics.Index;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Questionnaires;
using Survey.Domain.Triggers;
using Survey.Tests.Api.Questionnaires;
using Survey.Tests.Channels;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Reports;

/// <summary>The API with e-mail pointed at a real SMTP server process (aiosmtpd) and SMS into an outbox folder.</summary>
public sealed class ReportDeliveryFixture : ApiFixture, IAsyncLifetime
{
    public SmtpServerFixture Smtp { get; } = new();
    public string Outbox { get; } = Directory.CreateTempSubdirectory("survey-reports-outbox-").FullName;

    public Task InitializeAsync() => Smtp.InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => Smtp.DisposeAsync();

    protected override IReadOnlyDictionary<string, string> Settings =>
        EmailSendingTests.Smtp(Smtp.Port).Select(kv => KeyValuePair.Create(kv.Key, kv.Value!))
            .Append(KeyValuePair.Create("Channels:OutboxDirectory", Outbox))
            .Append(KeyValuePair.Create("Respondents:PublicBaseUrl", "https://survey.example.cn"))
            .ToDictionary();
}

/// <summary>
/// One tenant's company set up through the API: regions with manager contacts, dealers with Chinese and English names, a published
/// questionnaire (NPS, a 1-5 "lounge" rating, a comment), a trigger sending by SMS, minimum sample 5, and customers answering.
/// </summary>
public sealed class ReportWorld(ReportDeliveryFixture api, string tenant)
{
    private string _key = "";
    private static int _next;
    public HttpClient Admin { get; } = api.ClientFor(Roles.Administrator, tenant);
    public string Tenant => tenant;

    public async Task Setup(IEnumerable<(string Code, LocalizedName Name, ManagerContact[] Managers)> regions, IEnumerable<(string Code, LocalizedName Name, string Region)> dealers)
    {
        foreach (var (code, name, managers) in regions)
            (await Admin.Send(HttpMethod.Put, $"/api/regions/{code}", new Region(code, name, managers))).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var (code, name, region) in dealers)
            (await Admin.Send(HttpMethod.Put, $"/api/dealers/{code}", new Dealer(code, name, region, "Asia/Shanghai", null, []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lounge = new Question("lounge", QuestionType.Rating, Text("How was the lounge?", "休息区怎么样？"), ScaleMin: 1, ScaleMax: 5);
        var created = await (await Admin.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps(), lounge, Comment())))
            .Read<QuestionnaireView>(HttpStatusCode.Created);
        (await Admin.PostAsync($"/api/questionnaires/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var trigger = new TriggerDefinition("After service", "service.completed", [], created.Id, TimeSpan.Zero, null, [Channel.Sms], 100m, TimeSpan.FromDays(14));
        var made = await (await Admin.Send(HttpMethod.Post, "/api/triggers", trigger)).Read<Trigger>(HttpStatusCode.Created);
        (await Admin.PostAsync($"/api/triggers/{made.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _key = (await (await Admin.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
        var index = new IndexRequest([IndexComponent.Nps(1), IndexComponent.Attribute("lounge", 1)], MinimumSample: 5);
        (await Admin.Send(HttpMethod.Post, "/api/analytics/settings/index", index)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    /// <summary>A service visit, the invitation the trigger makes, sent by the dispatcher, answered (and completed) by the customer.</summary>
    public async Task Answer(string dealer, int nps, int lounge, string? comment = null)
    {
        var n = Interlocked.Increment(ref _next);
        var json = $$"""
            { "externalId": "RO-{{tenant}}-{{n}}", "type": "service.completed", "occurredAt": "{{api.Time.GetUtcNow().AddHours(-1):O}}", "dealerCode": "{{dealer}}",
              "customer": { "externalId": "C-{{n}}", "name": "王伟", "mobile": "1381234{{n:0000}}", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] }, "attributes": { "advisor": "A-7" } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", _key);
        (await (await Admin.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
        await ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services).Run(CancellationToken.None);
        Invitation invitation;
        await using (var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(tenant))
            invitation = await session.Query<Invitation>().SingleAsync(i => i.EventExternalId == $"RO-{tenant}-{n}");
        invitation.Status.ShouldBe(InvitationStatus.Sent);
        var token = await api.Services.GetRequiredService<InvitationTokens>().Issue(
            new InvitationClaims(tenant, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), CancellationToken.None);
        var responseId = Guid.NewGuid();
        var anonymous = api.Anonymous();
        var start = new HttpRequestMessage(HttpMethod.Put, $"/api/public/responses/{responseId}")
        {
            Content = JsonContent.Create(new StartRequest(new SourceView("invitation", Token: token), "zh-CN", "sms", "mobile"), options: Http.Json),
        };
        (await anonymous.SendAsync(start)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var answers = new Dictionary<string, object> { ["nps"] = nps, ["lounge"] = lounge };
        if (comment is not null) answers["comment"] = comment;
        var saved = await anonymous.PostAsync($"/api/public/responses/{responseId}/complete", JsonContent.Create(new { sequence = 1, answers }, options: Http.Json));
        saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }
}
