using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Operations;
using Survey.Api.Privacy;
using Survey.Api.Privacy.Retention;
using Survey.Api.Respondents.Answering;
using Survey.Api.Security;
using Survey.Api.Storage;
using Survey.Tests.Api.Respondents;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Privacy;

/// <summary>The daily retention job under a fake clock: what is older than the tenant's months is anonymised, the rest kept.</summary>
public class RetentionTests(PrivacyApiFixture api) : IClassFixture<PrivacyApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<Guid> Answer(Respondent respondent, string link, string text)
    {
        var id = Guid.NewGuid();
        (await respondent.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await respondent.Save(id, 1, new { nps = 8, comment = text })).StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    [Fact]
    public async Task Responses_and_events_older_than_the_retention_are_anonymised_newer_ones_kept()
    {
        var respondent = new Respondent(_client);
        var link = await respondent.Link(await respondent.PublishedSurvey());
        var key = (await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
        var old = await Answer(respondent, link, "OldAnswerRt1 from spring");
        (await api.Ingest(_client, key, $$"""
            { "externalId": "EV-OLD", "type": "order.paid", "occurredAt": "{{api.Time.GetUtcNow().AddHours(-1):O}}",
              "customer": { "externalId": "C-R1" }, "attributes": { "advisor": "OldAdvisorRt1" } }
            """)).Accepted.ShouldBe(1);

        (await (await _client.Send(HttpMethod.Put, "/api/privacy/retention", new RetentionRequest(6))).Read<RetentionRequest>()).Months.ShouldBe(6);
        (await _client.Send(HttpMethod.Put, "/api/privacy/retention", new RetentionRequest(-1))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        api.Time.Advance(TimeSpan.FromDays(150));
        var recent = await Answer(respondent, link, "RecentAnswerRt1 from autumn");
        (await api.Ingest(_client, key, $$"""
            { "externalId": "EV-NEW", "type": "order.paid", "occurredAt": "{{api.Time.GetUtcNow().AddHours(-1):O}}",
              "customer": { "externalId": "C-R1" }, "attributes": { "advisor": "NewAdvisorRt1" } }
            """)).Accepted.ShouldBe(1);
        var job = ActivatorUtilities.CreateInstance<RetentionJob>(api.Services);
        (await job.Run(CancellationToken.None)).ResponsesAnonymised.ShouldBe(0); // five months: nothing is old enough yet

        api.Time.Advance(TimeSpan.FromDays(40)); // the first response and event are now more than six months old
        var result = await job.Run(CancellationToken.None);
        result.ResponsesAnonymised.ShouldBe(1);
        result.EventsAnonymised.ShouldBe(1);
        (await job.Run(CancellationToken.None)).ShouldBe(new RetentionResult(1, 0, 0)); // twice is harmless

        var oldText = await (await _client.GetAsync($"/api/responses/{old}")).Content.ReadAsStringAsync();
        oldText.ShouldNotContain("OldAnswerRt1");
        oldText.ShouldContain(PersonalDataVault.Erased);
        oldText.ShouldContain("\"number\":8"); // scores stay for analytics
        (await (await _client.GetAsync($"/api/responses/{recent}")).Content.ReadAsStringAsync()).ShouldContain("RecentAnswerRt1 from autumn");

        await using (var query = api.Services.GetRequiredService<IDocumentStore>().QuerySession(Tenancy.DefaultTenant))
        {
            var oldEvent = (await query.LoadAsync<OperationalEventRecord>("EV-OLD"))!;
            oldEvent.Event.CustomerExternalId.ShouldBe(RetentionJob.Anonymised);
            oldEvent.Event.Attributes.ShouldBeEmpty();
            (await query.LoadAsync<OperationalEventRecord>("EV-NEW"))!.Event.Attributes["advisor"].ShouldBe("NewAdvisorRt1");
        }
        (await api.RawScan("OldAnswerRt1", "OldAdvisorRt1")).ShouldBeEmpty();
    }
}
