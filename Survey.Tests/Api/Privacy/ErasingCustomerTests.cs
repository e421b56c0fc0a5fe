using System.Net;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Invitations;
using Survey.Api.Privacy;
using Survey.Api.Privacy.Erasing;
using Survey.Api.Respondents.Answering;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Domain.Invitations;
using Survey.Domain.Operations;
using Survey.Domain.Privacy;
using Survey.Domain.Triggers;
using Survey.Domain.Triggers.Matching;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Privacy;

/// <summary>
/// One customer's personal data planted everywhere the product puts it — operational events (name, e-mail, mobile, WeChat
/// openid), a sent SMS in the outbox, a scheduled invitation waiting in the due table, 20 responses with free-text answers, the
/// CSV export — then erased: no readable copy is left in any API answer, export, outbox file, log line, or anywhere in the raw
/// database, and no sealed value left in the database opens with any key that still exists.
/// </summary>
public class ErasingCustomerTests(PrivacyApiFixture api) : IClassFixture<PrivacyApiFixture>
{
    private const string Name = "Zq7MarkerName";
    private const string Email = "zq7.marker@example.com";
    private const string Mobile = "13912340077";
    private const string OpenId = "oZq7MarkerOpenId";
    private const string Text = "Zq7MarkerText";
    private static readonly string[] Markers = [Name, Email, Mobile, OpenId, Text];

    private readonly HttpClient _client = api.CreateClient();

    private async Task<(Guid QuestionnaireId, string Key)> Setup()
    {
        (await _client.Send(HttpMethod.Put, "/api/regions/EAST", new Region("EAST", new LocalizedName("华东区", "East"), []))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _client.Send(HttpMethod.Put, "/api/dealers/SH-PD-01", new Dealer("SH-PD-01", new LocalizedName("上海浦东店", "Shanghai Pudong"), "EAST", "Asia/Shanghai", "上海", [])))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var questionnaireId = await new Respondent(_client).PublishedSurvey();
        foreach (var (type, delay) in new[] { ("service.completed", TimeSpan.Zero), ("vehicle.delivered", TimeSpan.FromDays(3)) })
        {
            var definition = new TriggerDefinition($"After {type}", type, [FilterCondition.Is("dealer.region", "EAST")], questionnaireId,
                delay, null, [Channel.Sms, Channel.Email], 100m, TimeSpan.FromDays(14), null);
            var created = await (await _client.Send(HttpMethod.Post, "/api/triggers", definition)).Read<Trigger>(HttpStatusCode.Created);
            (await _client.PostAsync($"/api/triggers/{created.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var key = (await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
        return (questionnaireId, key);
    }

    private string Event(string id, string type, string customer, string name, string email, string mobile, string openId) => $$"""
        { "externalId": "{{id}}", "type": "{{type}}", "occurredAt": "{{api.Time.GetUtcNow().AddMinutes(-5):O}}", "dealerCode": "SH-PD-01",
          "customer": { "externalId": "{{customer}}", "name": "{{name}}", "email": "{{email}}", "mobile": "{{mobile}}", "weChatOpenId": "{{openId}}",
                        "preferredLanguage": "en",
                        "consents": [ { "channel": "sms", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" },
                                      { "channel": "email", "given": true, "at": "2025-03-01T10:00:00+08:00", "source": "counter" } ] } }
        """;

    private async Task<string> Show(string url) => await (await _client.GetAsync(url)).Content.ReadAsStringAsync();

    [Fact]
    public async Task Erasing_a_customer_leaves_no_readable_copy_in_answers_exports_outbox_logs_or_the_database()
    {
        var (questionnaireId, key) = await Setup();
        (await api.Ingest(_client, key, Event("RO-ZQ7-1", "service.completed", "C-ZQ7", Name, Email, Mobile, OpenId))).Accepted.ShouldBe(1);
        (await api.Ingest(_client, key, Event("RO-OTHER-1", "service.completed", "C-OTHER", "KeepName Wu", "keep.wu@example.com", "13800000001", "oKeep"))).Accepted.ShouldBe(1);

        // the first invitation goes out (SMS into the outbox); its short link leads to the signed token
        var dispatcher = ActivatorUtilities.CreateInstance<InvitationDispatcher>(api.Services);
        (await dispatcher.Run(CancellationToken.None)).ShouldBeGreaterThanOrEqualTo(2);
        var store = api.Services.GetRequiredService<IDocumentStore>();
        Invitation sent;
        await using (var query = store.QuerySession(Tenancy.DefaultTenant))
            sent = (await query.Query<Invitation>().Where(i => i.CustomerExternalId == "C-ZQ7").ToListAsync()).Single();
        sent.Status.ShouldBe(InvitationStatus.Sent);
        var sms = await File.ReadAllTextAsync(Directory.GetFiles(api.Outbox, $"{sent.Id}*", SearchOption.AllDirectories).Single());
        sms.ShouldContain("+86" + Mobile); // the clear contact point reached the channel through the vault
        var shortLink = System.Text.RegularExpressions.Regex.Match(sms, @"https://survey.example.cn(/i/[A-Za-z0-9_\-]{11})").Groups[1].Value;
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _client.BaseAddress };
        var token = System.Text.RegularExpressions.Regex.Match((await noRedirect.GetAsync(shortLink)).Headers.Location!.ToString(), @"/s/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)").Groups[1].Value;
        token.ShouldNotBeEmpty();

        // a second event schedules an invitation three days ahead: a pending job in the due table
        (await api.Ingest(_client, key, Event("RO-ZQ7-2", "vehicle.delivered", "C-ZQ7", Name, Email, Mobile, OpenId))).Accepted.ShouldBe(1);
        Invitation pending;
        await using (var query = store.QuerySession(Tenancy.DefaultTenant))
            pending = (await query.Query<Invitation>().Where(i => i.CustomerExternalId == "C-ZQ7" && i.Status == InvitationStatus.Scheduled).ToListAsync()).Single();
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.invitation_due where invitation_id = '{pending.Id}'")).ShouldBe(1);

        // 20 responses through the invitation (19 partial, the last completed), each with a free-text answer; one open-link response of someone else
        var respondent = new Respondent(_client);
        var responseIds = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            var id = Guid.NewGuid();
            responseIds.Add(id);
            (await respondent.Start(id, new SourceView("invitation", Token: token))).StatusCode.ShouldBe(HttpStatusCode.Created);
            (await respondent.Save(id, 1, new { nps = 9 })).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await respondent.Save(id, 2, new { comment = $"{Text}-{i} the advisor called me on {Mobile}" })).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await respondent.Save(id, 2, new { comment = $"{Text}-{i} the advisor called me on {Mobile}" })).StatusCode.ShouldBe(HttpStatusCode.OK); // a retry is recognised
            if (i == 19) (await respondent.Complete(id, 3)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var linkResponse = Guid.NewGuid();
        (await respondent.Start(linkResponse, new SourceView("link", LinkId: await respondent.Link(questionnaireId)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await respondent.Save(linkResponse, 1, new { nps = 10 })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await respondent.Save(linkResponse, 2, new { comment = "KeepThisAnswerXy9" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // before: readable where the product shows it, and only there
        var responses = await Show($"/api/responses?questionnaireId={questionnaireId}&pageSize=100");
        for (var i = 0; i < 20; i++) responses.ShouldContain($"{Text}-{i} ");
        var csvBefore = await Show($"/api/questionnaires/{questionnaireId}/responses.csv");
        csvBefore.ShouldContain($"{Text}-7 ");
        var dsarBefore = await Show("/api/privacy/customers/C-ZQ7/export");
        foreach (var marker in new[] { Name, Email, Mobile, OpenId, $"{Text}-0 ", $"{Text}-19 " }) dsarBefore.ShouldContain(marker);
        (await Show($"/api/privacy/customers?email={Email}")).ShouldContain("C-ZQ7");
        (await api.RawScan(Markers)).ShouldBeEmpty("only ciphertext is stored"); // sealed from the start
        (await api.RawScan("RO-ZQ7-1")).ShouldNotBeEmpty("the scan finds what is stored in clear (an event id)");
        (await api.RawScan("KeepThisAnswer", "KeepName")).ShouldBeEmpty();

        var report = await (await _client.PostAsync("/api/privacy/customers/C-ZQ7/erasure", null)).Read<ErasureReport>();
        report.KeysDestroyed.ShouldBe(21); // the customer's key and one per response with text
        report.ResponsesScrubbed.ShouldBe(20);
        report.InvitationsCancelled.ShouldBe(1); // the one scheduled three days ahead (the first was answered)
        report.OutboxFilesDeleted.ShouldBe(1);

        // after: no API answer, export, outbox file or log line holds a marker
        var everything = string.Join("\n",
            await Show($"/api/responses?questionnaireId={questionnaireId}&pageSize=100"),
            await Show($"/api/questionnaires/{questionnaireId}/responses.csv"),
            await Show("/api/privacy/customers/C-ZQ7/export"),
            await Show("/api/privacy/customers/C-ZQ7"),
            await Show($"/api/privacy/customers?email={Email}"),
            await Show($"/api/privacy/customers?phone={Mobile}"),
            await Show($"/api/public/surveys/by-token/{token}?locale=en"),
            await Show($"/s/{token}"));
        foreach (var marker in Markers) everything.ShouldNotContain(marker, Case.Insensitive);
        everything.ShouldContain(PersonalDataVault.Erased);
        everything.ShouldContain("KeepThisAnswerXy9"); // others' data is untouched
        var dsar = JsonNode.Parse(await Show("/api/privacy/customers/C-ZQ7/export"))!;
        dsar["erasedAt"].ShouldNotBeNull();
        dsar["responses"]!.AsArray().Count.ShouldBe(20);
        (await Show($"/api/privacy/customers?email={Email}")).ShouldBe("[]");
        foreach (var file in Directory.GetFiles(api.Outbox, "*", SearchOption.AllDirectories))
            foreach (var marker in Markers) (await File.ReadAllTextAsync(file)).ShouldNotContain(marker, Case.Insensitive, file);
        foreach (var line in api.Logs) foreach (var marker in Markers) line.ShouldNotContain(marker, Case.Insensitive);
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.invitation_due where invitation_id = '{pending.Id}'")).ShouldBe(0);

        // the raw database: no clear copy in any column of any table (Marten, Hangfire, the due table)...
        (await api.RawScan(Markers)).ShouldBeEmpty();
        (await api.RawScan("KeepThisAnswer")).ShouldBeEmpty();
        // ...and no sealed value opens to a marker with any key still in the key table, even holding the master key
        var master = api.Services.GetRequiredService<MasterKey>();
        List<DataKey> keys;
        await using (var query = store.QuerySession(Tenancy.DefaultTenant)) keys = [.. await query.Query<DataKey>().ToListAsync()];
        keys.ShouldNotContain(k => k.Subject == KeyIds.Customer("C-ZQ7"));
        var sealedValues = await api.SealedValues();
        sealedValues.Count.ShouldBeGreaterThan(20);
        var opened = new List<string>();
        foreach (var value in sealedValues)
            foreach (var dataKey in keys)
            {
                var clearKey = Envelope.Unwrap(master.Key, dataKey.Wrapped, Tenancy.DefaultTenant, dataKey.Id);
                foreach (var field in new[] { "name", "email", "mobile", "wechat", "nps", "wrong", "comment", "csat" })
                    try { opened.Add(Envelope.Open(clearKey, value, PersonalDataVault.Context(dataKey.Id, field))); }
                    catch (System.Security.Cryptography.CryptographicException) { }
            }
        opened.ShouldContain("KeepThisAnswerXy9"); // the check can open what is still meant to be readable
        opened.ShouldContain("KeepName Wu");
        foreach (var marker in Markers) opened.ShouldNotContain(o => o.Contains(marker, StringComparison.OrdinalIgnoreCase));

        // erasing again changes nothing and fails nothing
        (await (await _client.PostAsync("/api/privacy/customers/C-ZQ7/erasure", null)).Read<ErasureReport>()).KeysDestroyed.ShouldBe(0);
        (await _client.PostAsync("/api/privacy/customers/C-NOBODY/erasure", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // a respondent still answering after the erasure: the key this node opened for the earlier saves was forgotten with the
        // erasure, so the new answer is sealed under a new key and stays readable (not under the destroyed one)
        (await respondent.Save(responseIds[0], 5, new { comment = "AfterErasureWq4" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await Show($"/api/responses?questionnaireId={questionnaireId}&pageSize=100");
        after.ShouldContain("AfterErasureWq4");
        foreach (var marker in Markers) after.ShouldNotContain(marker, Case.Insensitive);
    }
}
