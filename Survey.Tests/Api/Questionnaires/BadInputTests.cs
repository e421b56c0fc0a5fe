using System.Net;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Questionnaires;

/// <summary>Every class of bad request is a 4xx problem and leaves no trace in the store.</summary>
public class BadInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private const string Valid = """{"title":{"en":"T"},"defaultLocale":"en","locales":["en"],"questions":[{"id":"nps","type":"nps","text":{"en":"?"}}]}""";

    [Theory]
    [InlineData("{\"title\":", "title")]
    [InlineData("not json at all", "$")]
    [InlineData("""{"title":{"en":"T"},"defaultLocale":"en","locales":["en"],"questions":[{"id":"nps","type":"nps","text":{"en":"?"},"required":"yes"}]}""", "questions[0].required")]
    [InlineData("""{"title":{"en":"T"},"defaultLocale":"en","locales":["en"],"questions":[{"id":"nps","type":"stars","text":{"en":"?"}}]}""", "questions[0].type")]
    [InlineData("""{"title":{"en":"T"},"defaultLocale":"en","locales":["en"],"colour":"red"}""", "colour")]
    [InlineData("""{"defaultLocale":"en","locales":["en"]}""", "title")]
    [InlineData("""{"title":null,"defaultLocale":"en","locales":["en"]}""", "title")]
    [InlineData("[]", "$")]
    public async Task Malformed_or_mistyped_json_is_400_with_path_and_stores_nothing(string body, string path)
    {
        var before = await api.CountRows("mt_events");
        var problem = await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires", body)).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldHaveSingleItem().ShouldBe(path);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var before = await api.CountRows("mt_events");
        await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires", Valid, "text/plain")).Problem(HttpStatusCode.UnsupportedMediaType);
        await (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires", "title=x", "application/x-www-form-urlencoded")).Problem(HttpStatusCode.UnsupportedMediaType);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Fact]
    public async Task Oversized_body_is_413()
    {
        var before = await api.CountRows("mt_events");
        var huge = Valid.Replace("\"T\"", $"\"{new string('x', 3 * 1024 * 1024)}\"");
        await (await _client.SendOversized(HttpMethod.Post, "/api/questionnaires", huge)).Problem(HttpStatusCode.RequestEntityTooLarge);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Fact]
    public async Task Valid_body_is_accepted_so_the_cases_above_fail_for_their_own_reason()
    {
        (await _client.SendRaw(HttpMethod.Post, "/api/questionnaires", Valid)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("/api/questionnaires/00000000-0000-0000-0000-000000000000/publish")]
    [InlineData("/api/triggers/00000000-0000-0000-0000-000000000000/pause")]
    public async Task Commands_to_the_empty_id_are_404_like_any_unknown_id(string url)
    {
        var before = await api.CountRows("mt_events");
        await (await _client.PostAsync(url, null)).Problem(HttpStatusCode.NotFound);
        (await api.CountRows("mt_events")).ShouldBe(before);
    }

    [Theory]
    [InlineData("/api/questionnaires/not-a-guid")]
    [InlineData("/api/questionnaires/00000000-0000-0000-0000-000000000000/versions/x")]
    [InlineData("/api/nothing-here")]
    public async Task Unknown_routes_are_404_problems(string url)
    {
        await (await _client.GetAsync(url)).Problem(HttpStatusCode.NotFound);
    }
}
