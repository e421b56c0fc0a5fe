using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hangfire;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Invitations;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Respondents.Answering;
using Survey.Api.Respondents.Distribution;
using Survey.Api.Security;
using Survey.Api.Respondents;
using Survey.Domain.Cases;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Api.Triggers;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>
/// Two brands on one installation: everything tenant A makes is invisible to tenant B on every list and get, B cannot change
/// it by id, and the invitation dispatch job (Hangfire) works in the tenant of the invitation it sends.
/// </summary>
public class TenantIsolationTests(OutboxApiFixture api) : IClassFixture<OutboxApiFixture>
{
    private sealed record Made(Guid Questionnaire, Guid Trigger, string Link, string WidgetKey, Guid Response, string ApiKeyId, string ApiKey, Guid Import);

    private async Task<Made> MakeEverything(HttpClient admin)
    {
        (await admin.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东区", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", new Dealer("SH-PD-01", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "上海", [])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var respondent = new Respondent(admin);
        var questionnaire = await respondent.PublishedSurvey();
        var definition = new TriggerDefinition("After service", "service.completed", [FilterCondition.Is("dealer.region", "EAST")], questionnaire,
            TimeSpan.Zero, null, [Channel.Sms], 100m, TimeSpan.FromDays(7), null);
        var trigger = await (await admin.Send(HttpMethod.Post, "/api/triggers", definition)).Read<Trigger>(HttpStatusCode.Created);
        (await admin.PostAsync($"/api/triggers/{trigger.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var link = await respondent.Link(questionnaire);
        var widget = await (await admin.Send(HttpMethod.Post, "/api/widget-keys", new WidgetKeyRequest("shop", ["https://shop.example.cn"],
            [new Placement("thanks", questionnaire, PlacementMode.Inline, new ShowRules(), "#survey")]))).Read<WidgetKey>(HttpStatusCode.Created);
        (await admin.Send(HttpMethod.Post, "/api/invitations", new CreateInvitationRequest(questionnaire, "sms"))).StatusCode.ShouldBe(HttpStatusCode.Created);
        var response = Guid.NewGuid();
        var anonymous = new Respondent(api.Anonymous());
        (await anonymous.Start(response, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await (await anonymous.Complete(response, 1, new { nps = 9 })).Read<SaveResult>()).Completed.ShouldBeTrue();
        var key = await (await admin.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created);
        var import = Guid.NewGuid();
        var csv = new HttpRequestMessage(HttpMethod.Post, $"/api/ingest/events.csv?importId={import}")
        {
            Content = new StringContent("externalId,type,occurredAt,dealerCode,customer.externalId\nCSV-1,order.paid,2026-11-01T08:00:00Z,SH-PD-01,C-CSV\n", Encoding.UTF8, "text/csv"),
        };
        csv.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key.Key);
        (await admin.SendAsync(csv)).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity);
        return new Made(questionnaire, trigger.Id, link, widget.Id, response, key.Id, key.Key, import);
    }

    private async Task Ingest(HttpClient client, string key, string eventId, string customerId)
    {
        var json = $$"""
            { "externalId": "{{eventId}}", "type": "service.completed", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "SH-PD-01",
              "customer": { "externalId": "{{customerId}}", "name": "王伟", "mobile": "13812345678", "preferredLanguage": "zh-CN",
                            "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] } }
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/events") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        (await (await client.SendAsync(request)).Read<IngestResult>()).Accepted.ShouldBe(1);
    }

    [Fact]
    public async Task Tenant_b_sees_and_changes_none_of_tenant_a_and_jobs_keep_the_tenant_of_their_data()
    {
        var a = api.ClientFor(Roles.Administrator, "brand-a");
        var b = api.ClientFor(Roles.Administrator, "brand-b");
        var made = await MakeEverything(a);
        var q = made.Questionnaire;

        // every list of B is empty of A's data
        foreach (var list in new[] { "/api/questionnaires", "/api/triggers", $"/api/responses?questionnaireId={q}" })
            (await (await b.GetAsync(list)).Read<JsonObject>())["items"]!.AsArray().Count.ShouldBe(0, list);
        foreach (var list in new[] { "/api/regions", "/api/dealers", "/api/api-keys" })
            (await (await b.GetAsync(list)).Read<JsonArray>()).Count.ShouldBe(0, list);
        (await (await b.GetAsync("/api/audit")).Read<JsonObject>())["items"]!.AsArray().Count.ShouldBe(0);

        // every get by id is 404
        foreach (var get in new[]
                 {
                     $"/api/questionnaires/{q}", $"/api/questionnaires/{q}/versions", $"/api/questionnaires/{q}/versions/1", $"/api/questionnaires/{q}/export",
                     $"/api/questionnaires/{q}/translations/zh-CN", $"/api/triggers/{made.Trigger}", $"/api/widget-keys/{made.WidgetKey}",
                     $"/api/responses/{made.Response}", "/api/regions/EAST", "/api/dealers/SH-PD-01",
                 })
            (await b.GetAsync(get)).StatusCode.ShouldBe(HttpStatusCode.NotFound, get);

        // and B cannot change A's things by id
        foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Post, $"/api/questionnaires/{q}/archive", null),
                     (HttpMethod.Post, $"/api/triggers/{made.Trigger}/pause", null),
                     (HttpMethod.Post, $"/api/public-links/{made.Link}/deactivate", null),
                     (HttpMethod.Put, $"/api/widget-keys/{made.WidgetKey}", new WidgetKeyRequest("taken", ["https://evil.example"], [])),
                     (HttpMethod.Post, $"/api/api-keys/{made.ApiKeyId}/revoke", null),
                     (HttpMethod.Post, $"/api/api-keys/{made.ApiKeyId}/rotate", null),
                     (HttpMethod.Post, "/api/public-links", new CreateLinkRequest(q)),
                     (HttpMethod.Post, "/api/invitations", new CreateInvitationRequest(q, "sms")),
                 })
        {
            var response = await b.Send(method, url, body);
            var text = await response.Content.ReadAsStringAsync();
            // by id in the address: 404; by id in the body: 400 "does not exist" — the answers for an id that exists nowhere
            response.StatusCode.ShouldBe(url.EndsWith("-links") || url.EndsWith("/invitations") ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound, $"{method} {url}: {text}");
            text.ShouldContain("does not exist");
        }
        var widget = await (await a.GetAsync($"/api/widget-keys/{made.WidgetKey}")).Read<WidgetKey>();
        widget.Name.ShouldBe("shop");
        widget.Active.ShouldBeTrue();
        (await (await a.GetAsync($"/api/triggers/{made.Trigger}")).Content.ReadAsStringAsync()).ShouldNotContain("\"paused\":true");
        (await (await a.GetAsync("/api/api-keys")).Read<JsonArray>()).ShouldHaveSingleItem()!["revokedAt"].ShouldBeNull();

        // A's API key reads A's import, B's console cannot see it (ingestion takes keys only) and a key of B cannot either
        var bKey = await (await b.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("b-dms"))).Read<NewApiKey>(HttpStatusCode.Created);
        (await GetWithKey(made.ApiKey, $"/api/ingest/imports/{made.Import}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetWithKey(bKey.Key, $"/api/ingest/imports/{made.Import}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // the same setup in B; an event sent with A's key invites through A's trigger only, and the Hangfire job sends it as A's
        (await b.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("东", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await b.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", new Dealer("SH-PD-01", new LocalizedName("B店", "B shop"), "EAST", "Asia/Shanghai", null, []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        await Ingest(a, made.ApiKey, "RO-ISO-1", "C-ISO-1");
        var store = api.Services.GetRequiredService<IDocumentStore>();
        Invitation? invitation;
        await using (var inA = store.QuerySession("brand-a"))
            invitation = (await inA.Query<Invitation>().Where(i => i.CustomerExternalId == "C-ISO-1").ToListAsync()).ShouldHaveSingleItem();
        invitation.Status.ShouldBe(InvitationStatus.Scheduled);

        // the dispatch job as Hangfire runs it: resolved in a DI scope of its own, outside any request (so no tenant from a
        // principal). Run here rather than waited for on the job server: in full CI runs the job was at times not picked up at all.
        using (var scope = api.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<InvitationDispatcher>().Run(CancellationToken.None);
        await using (var inA = store.QuerySession("brand-a"))
            invitation = await inA.LoadAsync<Invitation>(invitation.Id);
        invitation!.Status.ShouldBe(InvitationStatus.Sent, "the Hangfire dispatch job sent the invitation in its own tenant");
        Directory.GetFiles(api.Outbox, $"{invitation.Id}*", SearchOption.AllDirectories).ShouldHaveSingleItem();
        await using (var inB = store.QuerySession("brand-b"))
        {
            (await inB.Query<Invitation>().CountAsync()).ShouldBe(0);
            (await inB.LoadAsync<Invitation>(invitation.Id)).ShouldBeNull();
            (await inB.Events.FetchStreamAsync(invitation.Id)).ShouldBeEmpty();
        }
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{invitation.Id}' and tenant_id <> 'brand-a'")).ShouldBe(0);

        // analytics, cases and customers: A's customer answers as a detractor and A's rule opens a case; B, which has a dealer with
        // the same code, sees none of it in its projections (the async daemon's facts), scorecards, league, metrics, cases or customers
        var rule = Guid.NewGuid();
        (await a.Send(HttpMethod.Put, $"/api/case-rules/{rule}", new CaseRuleDefinition("Detractors", new CaseCondition(CaseConditionKind.NpsAtMost, Threshold: 6))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = await api.Services.GetRequiredService<InvitationTokens>()
            .Issue(new InvitationClaims("brand-a", invitation.Id, invitation.QuestionnaireId, invitation.ExpiresAt), CancellationToken.None);
        var detractor = Guid.NewGuid();
        var respondent = new Respondent(api.Anonymous());
        (await respondent.Start(detractor, new SourceView("invitation", Token: token))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await (await respondent.Complete(detractor, 1, new { nps = 2, csat = 1 })).Read<SaveResult>()).Completed.ShouldBeTrue();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var caseId = CaseIds.ForResponse(detractor);
        (await a.GetAsync($"/api/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        const string month = "period=month&date=2026-11-02";
        (await (await a.GetAsync($"/api/analytics/dealers/SH-PD-01/scorecard?{month}")).Read<JsonObject>())["responses"]!.GetValue<int>().ShouldBe(1);
        (await (await b.GetAsync($"/api/analytics/dealers/SH-PD-01/scorecard?{month}")).Read<JsonObject>())["responses"]!.GetValue<int>().ShouldBe(0);
        (await (await b.GetAsync($"/api/analytics/metrics?{month}")).Read<JsonObject>())["figures"]!["responses"]!.GetValue<int>().ShouldBe(0);
        foreach (var url in new[] { $"/api/analytics/league?{month}", $"/api/analytics/scorecards?{month}", $"/api/analytics/metrics?{month}", $"/api/analytics/trend?{month}",
                                    $"/api/analytics/drivers?{month}", "/api/cases", "/api/case-rules" })
        {
            var answer = await b.GetAsync(url);
            var text = await answer.Content.ReadAsStringAsync();
            // B has no responses at all: driver analysis says so (409 no-data), everything else answers with empty figures
            answer.StatusCode.ShouldBe(url.Contains("/drivers") ? HttpStatusCode.Conflict : HttpStatusCode.OK, $"{url}: {text}");
            foreach (var leak in new[] { "上海浦东店", caseId.ToString(), detractor.ToString(), rule.ToString(), "C-ISO-1" }) text.ShouldNotContain(leak, Shouldly.Case.Insensitive, url);
        }
        (await (await b.GetAsync("/api/cases")).Read<JsonObject>())["items"]!.AsArray().Count.ShouldBe(0);
        foreach (var url in new[] { $"/api/cases/{caseId}", $"/api/case-rules/{rule}", "/api/privacy/customers/C-ISO-1", "/api/privacy/customers/C-ISO-1/export" })
            (await b.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);
        (await b.PostAsync("/api/privacy/customers/C-ISO-1/erasure", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await a.GetAsync("/api/privacy/customers/C-ISO-1")).Read<JsonObject>())["customer"]!["name"]!.ToString().ShouldBe("王伟");
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_doc_responsefact where id = '{detractor}' and tenant_id <> 'brand-a'")).ShouldBe(0);

        // PDFs: each tenant's reports hold only its own dealers (the same code in both)
        async Task<string> Pdf(HttpClient client, string url)
        {
            var answer = await client.GetAsync(url);
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, url);
            return new Survey.Tests.Reports.PdfText(await answer.Content.ReadAsByteArrayAsync()).All;
        }
        (await Pdf(a, "/api/reports/regions/EAST/report.pdf?period=2026-11&lang=zh-CN")).ShouldContain("上海浦东店");
        foreach (var url in new[] { "/api/reports/regions/EAST/report.pdf?period=2026-11&lang=zh-CN", "/api/reports/dealers/SH-PD-01/scorecard.pdf?period=2026-11&lang=zh-CN" })
        {
            var text = await Pdf(b, url);
            text.ShouldContain("B店");
            text.ShouldNotContain("上海浦东店");
        }
    }

    private Task<HttpResponseMessage> GetWithKey(string key, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return api.Anonymous().SendAsync(request);
    }
}
