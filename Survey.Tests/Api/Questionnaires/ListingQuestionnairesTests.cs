using System.Net;
using Survey.Api.Questionnaires;
using Survey.Domain.Questionnaires;
using Survey.Tests.Infrastructure;
using static Survey.Tests.Domain.Questionnaires.Samples;

namespace Survey.Tests.Api.Questionnaires;

public class ListingQuestionnairesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task Lists_by_status_newest_change_first_with_paging()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            api.Time.Advance(TimeSpan.FromMinutes(1));
            var request = QuestionnaireRequests.Create(Nps()) with { Title = Text($"Survey {i}", $"调查 {i}") };
            ids.Add((await (await _client.Send(HttpMethod.Post, "/api/questionnaires", request)).Read<QuestionnaireView>(HttpStatusCode.Created)).Id);
        }
        api.Time.Advance(TimeSpan.FromMinutes(1));
        (await _client.PostAsync($"/api/questionnaires/{ids[1]}/publish", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        api.Time.Advance(TimeSpan.FromMinutes(1));
        (await _client.PostAsync($"/api/questionnaires/{ids[3]}/archive", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var all = await (await _client.GetAsync("/api/questionnaires?pageSize=3")).Read<Page<QuestionnaireSummary>>();
        all.Total.ShouldBe(5);
        all.Items.Select(q => q.Id).ShouldBe([ids[3], ids[1], ids[4]]);
        var second = await (await _client.GetAsync("/api/questionnaires?pageSize=3&page=2")).Read<Page<QuestionnaireSummary>>();
        second.Items.Select(q => q.Id).ShouldBe([ids[2], ids[0]]);

        var drafts = await (await _client.GetAsync("/api/questionnaires?status=draft")).Read<Page<QuestionnaireSummary>>();
        drafts.Items.Select(q => q.Id).ShouldBe([ids[4], ids[2], ids[0]]);
        var published = await (await _client.GetAsync("/api/questionnaires?status=published")).Read<Page<QuestionnaireSummary>>();
        published.Items.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            q => q.Id.ShouldBe(ids[1]), q => q.LatestPublishedVersion.ShouldBe(1), q => q.Title["zh-CN"].ShouldBe("调查 1"));
        var archived = await (await _client.GetAsync("/api/questionnaires?status=archived")).Read<Page<QuestionnaireSummary>>();
        archived.Items.ShouldHaveSingleItem().Status.ShouldBe(QuestionnaireStatus.Archived);
    }

    [Theory]
    [InlineData("?page=0", "page")]
    [InlineData("?pageSize=1000", "pageSize")]
    [InlineData("?status=deleted", "status")]
    [InlineData("?status=1", "status")]
    [InlineData("?page=abc", "page")]
    public async Task Bad_paging_or_filter_is_400(string query, string field)
    {
        var problem = await (await _client.GetAsync($"/api/questionnaires{query}")).Problem(HttpStatusCode.BadRequest);
        problem.ToJsonString().ShouldContain(field);
    }
}
