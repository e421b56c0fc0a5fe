using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Cases.Inbox;
using Survey.Api.Cases.Settings;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Respondents;
using Survey.Api.Respondents.Answering;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Cases;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Cases;

/// <summary>
/// Until roles exist, tests say who is asking with <c>X-Test-Case-Scope</c> (<c>dealer:CODE</c> or <c>regions:A,B</c>); the API's own
/// resolver reads claims. Replacing the resolver is exactly how the security feature plugs its roles in.
/// </summary>
public sealed class HeaderCaseScopeResolver : ICaseScopeResolver
{
    public const string Header = "X-Test-Case-Scope";

    public CaseScope Resolve(HttpContext http)
    {
        var value = http.Request.Headers[Header].ToString();
        if (value.StartsWith("dealer:")) return new CaseScope.Dealer(value["dealer:".Length..]);
        if (value.StartsWith("regions:")) return new CaseScope.Regions(value["regions:".Length..].Split(','));
        return CaseScope.TenantWide;
    }
}

public class CasesFixture : ApiFixture
{
    public string Outbox { get; } = Directory.CreateTempSubdirectory("survey-cases-outbox-").FullName;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Channels:OutboxDirectory"] = Outbox,
        ["Respondents:PublicBaseUrl"] = "https://survey.example.cn",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<ICaseScopeResolver, HeaderCaseScopeResolver>());
    }

    private readonly SemaphoreSlim _gate = new(1, 1);
    private CaseWorld? _world;

    /// <summary>The class's world, set up once (xunit makes a test class instance per test).</summary>
    public async Task<CaseWorld> World(CaseSlaPolicy? sla = null)
    {
        await _gate.WaitAsync();
        try
        {
            if (_world is null)
            {
                var world = new CaseWorld(this);
                await world.Setup(sla);
                _world = world;
            }
            return _world;
        }
        finally { _gate.Release(); }
    }
}

/// <summary>
/// A small company set up through the API: regions EAST (manager 陈静) and SOUTH (manager Li Na), dealers SH-PD-01 (EAST) and
/// GZ-TH-01 (SOUTH), root causes WAIT and PRICE, the rule "Detractors" (NPS ≤ 6), an after-service trigger and an API key.
/// Customers answer through real invitations: an operational event fires the trigger, the invitation's token opens the survey.
/// </summary>
public sealed class CaseWorld(ApiFixture api)
{
    public const string EastManager = "chen.jing@example.cn";
    public const string SouthManager = "li.na@example.cn";
    public HttpClient Client { get; } = api.CreateClient();
    public Guid QuestionnaireId { get; private set; }
    public Guid DetractorRule { get; } = Guid.NewGuid();
    private string _key = "";
    private readonly Respondent _respondent = new(api.CreateClient());

    public async Task Setup(CaseSlaPolicy? sla = null)
    {
        await Put("/api/regions/EAST", new Region("EAST", new LocalizedName("华东区", "East"), [new ManagerContact("陈静", EastManager, "regional manager")]));
        await Put("/api/regions/SOUTH", new Region("SOUTH", new LocalizedName("华南区", "South"), [new ManagerContact("Li Na", SouthManager)]));
        await Put("/api/dealers/SH-PD-01", new Dealer("SH-PD-01", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "上海", []));
        await Put("/api/dealers/GZ-TH-01", new Dealer("GZ-TH-01", new LocalizedName("广州天河店", "Guangzhou Tianhe"), "SOUTH", "Asia/Shanghai", "广州", []));
        await Put("/api/cases/settings", new CaseSettingsRequest(sla ?? CaseSlaPolicy.Default,
            [new RootCauseCode("WAIT", new LocalizedName("等待时间长", "Long wait")), new RootCauseCode("PRICE", new LocalizedName("价格", "Price"))], []));
        await Put($"/api/case-rules/{DetractorRule}", new CaseRuleDefinition("Detractors", new CaseCondition(CaseConditionKind.NpsAtMost, Threshold: 6)));
        QuestionnaireId = await _respondent.PublishedSurvey();
        var trigger = new TriggerDefinition("After service", "service.completed", [], QuestionnaireId, TimeSpan.Zero, null, [Channel.Sms, Channel.Email], 100m, TimeSpan.FromDays(7), null);
        var created = await (await Client.Send(HttpMethod.Post, "/api/triggers", trigger)).Read<Trigger>(HttpStatusCode.Created);
        (await Client.PostAsync($"/api/triggers/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        _key = (await (await Client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
    }

    public async Task Put(string url, object body) => (await Client.Send(HttpMethod.Put, url, body)).StatusCode.ShouldBe(HttpStatusCode.OK, url);

    /// <summary>A service visit of a new customer at a dealer: the trigger schedules an invitation; its token.</summary>
    public async Task<string> Invitation(string customerId, string dealer)
    {
        await Visit(customerId, dealer, $"RO-{customerId}");
        await using var session = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant);
        var invitation = (await session.Query<Invitation>().Where(i => i.CustomerExternalId == customerId && i.Status == InvitationStatus.Scheduled).ToListAsync()).ShouldHaveSingleItem();
        return await api.Services.GetRequiredService<InvitationTokens>()
            .Issue(new InvitationClaims(Tenancy.DefaultTenant, invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), CancellationToken.None);
    }

    /// <summary>A service visit (operational event) of the customer at a dealer, sent through the ingest API.</summary>
    public async Task Visit(string customerId, string dealer, string eventId)
    {
        var json = $$"""
            { "externalId": "{{eventId}}", "type": "service.completed", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "{{dealer}}",
              "customer": { "externalId": "{{customerId}}", "name": "王伟", "mobile": "13812345678", "email": "wang.wei@example.com", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" },
                                          { "channel": "email", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] },
              "attributes": { "vehicleModel": "A6L" } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", _key);
        (await (await Client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
    }

    /// <summary>Starts a response through the token and completes it with these answers; the response id.</summary>
    public async Task<Guid> Answer(string token, object answers)
    {
        var responseId = Guid.NewGuid();
        (await _respondent.Start(responseId, new SourceView("invitation", Token: token))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var complete = await _respondent.Complete(responseId, 1, answers);
        complete.StatusCode.ShouldBe(HttpStatusCode.OK, await complete.Content.ReadAsStringAsync());
        return responseId;
    }

    public Respondent Respondent => _respondent;

    /// <summary>A detractor at a dealer: invitation, NPS 3, CSAT 2, a comment; the case it opened.</summary>
    public async Task<Guid> Detractor(string customerId, string dealer = "SH-PD-01")
    {
        var responseId = await Answer(await Invitation(customerId, dealer), new { nps = 3, csat = 2, comment = "等了两个小时，王伟 13812345678" });
        return CaseIds.ForResponse(responseId);
    }

    public Task<HttpResponseMessage> Act(Guid caseId, string action, object body, string? ifMatch = null, string? scope = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/{action}") { Content = System.Net.Http.Json.JsonContent.Create(body, options: Http.Json) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        if (scope is not null) request.Headers.Add(HeaderCaseScope, scope);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> Get(string url, string? scope = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (scope is not null) request.Headers.Add(HeaderCaseScope, scope);
        return Client.SendAsync(request);
    }

    private const string HeaderCaseScope = HeaderCaseScopeResolver.Header;
}
