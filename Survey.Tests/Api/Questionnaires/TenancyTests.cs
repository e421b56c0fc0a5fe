using System.Net;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Api.Questionnaires;
using Survey.Api.Storage;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

/// <summary>Conjoined tenancy from day one: streams and documents carry their tenant and other tenants cannot see them.</summary>
public class TenancyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Questionnaires_written_through_the_api_belong_to_the_default_tenant_only()
    {
        var view = await (await _client.Send(HttpMethod.Post, "/api/questionnaires", QuestionnaireRequests.Create(Nps()))).Read<QuestionnaireView>(HttpStatusCode.Created);
        (await _client.PostAsync($"/api/questionnaires/{view.Id}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var store = api.Services.GetRequiredService<IDocumentStore>();
        await using (var own = store.QuerySession(Tenancy.DefaultTenant))
        {
            (await own.LoadAsync<Questionnaire>(view.Id)).ShouldNotBeNull();
            (await own.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(view.Id, 1))).ShouldNotBeNull();
            (await own.Events.FetchStreamAsync(view.Id)).Count.ShouldBe(2);
        }
        await using (var other = store.QuerySession("another-brand"))
        {
            (await other.LoadAsync<Questionnaire>(view.Id)).ShouldBeNull();
            (await other.LoadAsync<PublishedQuestionnaire>(PublishedQuestionnaire.IdFor(view.Id, 1))).ShouldBeNull();
            (await other.Query<Questionnaire>().CountAsync()).ShouldBe(0);
            (await other.Events.FetchStreamAsync(view.Id)).ShouldBeEmpty();
        }
        (await TestPostgres.ScalarAsync(api.ConnectionString, $"select count(*) from survey.mt_events where stream_id = '{view.Id}' and tenant_id = 'default'")).ShouldBe(2);
    }
}
