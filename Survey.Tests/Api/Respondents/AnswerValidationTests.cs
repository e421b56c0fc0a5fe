using System.Net;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

/// <summary>Every problem with answers is a 400 keyed by question id and records nothing.</summary>
public class AnswerValidationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();
    private Respondent Respondent => new(_client);

    private async Task<Guid> Started()
    {
        var link = await Respondent.Link(await Respondent.PublishedSurvey());
        var id = Guid.NewGuid();
        (await Respondent.Start(id, new SourceView("link", LinkId: link))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return id;
    }

    public static TheoryData<string, string, string> BadSaves => new()
    {
        { """{ "nps": 11 }""", "nps", "outside 0-10" },
        { """{ "nps": -1 }""", "nps", "outside 0-10" },
        { """{ "nps": 7.5 }""", "nps", "whole number" },
        { """{ "nps": "ten" }""", "nps", "whole number" },
        { """{ "csat": 0 }""", "csat", "outside 1-5" },
        { """{ "ghost": 1 }""", "ghost", "no question" },
        { """{ "nps": 2, "wrong": ["wait", "price", "wait"] }""", "wrong", "" },
        { """{ "nps": 2, "wrong": ["teleport"] }""", "wrong", "not one of the options" },
        { """{ "nps": 2, "wrong": "wait" }""", "wrong", "Choose options" },
        { """{ "comment": 42 }""", "comment", "as text" },
        { """{ "nps": 9, "wrong": ["wait"] }""", "wrong", "not shown" },
        { """{ "wrong": ["wait"] }""", "wrong", "not shown" },
    };

    [Theory]
    [MemberData(nameof(BadSaves))]
    public async Task Bad_answers_are_400_by_question_id_and_change_nothing(string answers, string question, string message)
    {
        var id = await Started();
        var events = await api.CountRows("mt_events");
        var response = await _client.SendRaw(HttpMethod.Post, $"/api/public/responses/{id}/saves", $$"""{ "sequence": 1, "answers": {{answers}} }""");
        var problem = await response.Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldContain(question);
        problem["errors"]![question]![0]!.GetValue<string>().ShouldContain(message);
        (await api.CountRows("mt_events")).ShouldBe(events);
    }

    [Fact]
    public async Task Text_longer_than_its_limit_is_refused()
    {
        var id = await Started();
        var problem = await (await Respondent.Save(id, 1, new { comment = new string('字', 2001) })).Problem(HttpStatusCode.BadRequest);
        problem["errors"]!["comment"]![0]!.GetValue<string>().ShouldContain("2000");
    }

    [Theory]
    [InlineData("""{ "answers": { "nps": 1 } }""", "sequence")]
    [InlineData("""{ "sequence": 0, "answers": { "nps": 1 } }""", "sequence")]
    [InlineData("""{ "sequence": 1, "answers": [1] }""", "answers")]
    [InlineData("""{ "sequence": "one" }""", "sequence")]
    [InlineData("not json", "$")]
    public async Task Malformed_saves_are_400(string body, string path)
    {
        var id = await Started();
        var problem = await (await _client.SendRaw(HttpMethod.Post, $"/api/public/responses/{id}/saves", body)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldContain(path);
    }

    [Theory]
    [InlineData("""{ "source": { "kind": "carrier-pigeon" } }""", "source.kind")]
    [InlineData("""{ "source": { "kind": "link" } }""", "source.linkId")]
    [InlineData("""{ "source": { "kind": "widget", "publicKey": "pk_x" } }""", "source.placementId")]
    [InlineData("""{ "source": { "kind": "link", "linkId": "x" }, "channel": "fax" }""", "channel")]
    [InlineData("""{ "source": { "kind": "link", "linkId": "x" }, "pageUrl": "not a url" }""", "pageUrl")]
    public async Task Malformed_starts_are_400(string body, string path)
    {
        var problem = await (await _client.SendRaw(HttpMethod.Put, $"/api/public/responses/{Guid.NewGuid()}", body)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldContain(path);
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413()
    {
        var id = await Started();
        var huge = $$"""{ "sequence": 1, "answers": { "comment": "{{new string('x', 70_000)}}" } }""";
        await (await _client.SendOversized(HttpMethod.Post, $"/api/public/responses/{id}/saves", huge)).Problem(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_burst_of_garbage_gets_4xx_never_5xx()
    {
        var id = await Started();
        var bodies = new[] { "", "{", "null", "[]", "{\"sequence\":1e99}", "{\"sequence\":1,\"answers\":{\"nps\":{\"$gt\":1}}}", new string('[', 5000), "{\"sequence\":1,\"answers\":null}" };
        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(i =>
            _client.SendRaw(HttpMethod.Post, i % 2 == 0 ? $"/api/public/responses/{id}/saves" : $"/api/public/responses/{Guid.NewGuid()}/complete", bodies[i % bodies.Length])));
        responses.ShouldAllBe(r => (int)r.StatusCode >= 200 && (int)r.StatusCode < 500);
        responses.ShouldContain(r => r.StatusCode == HttpStatusCode.BadRequest);
    }
}
