using System.Net;
using Survey.Api.Respondents.Answering;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Respondents;

public sealed class LowLimitsApiFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Respondents:RequestsPerMinutePerIp"] = "1000",
        ["Respondents:RequestsPerMinutePerKey"] = "20",
    };
}

public class RateLimitTests(LowLimitsApiFixture api) : IClassFixture<LowLimitsApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_burst_on_one_survey_address_gets_429_with_retry_after_and_never_5xx()
    {
        var respondent = new Respondent(_client);
        var link = await respondent.Link(await respondent.PublishedSurvey());
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => _client.GetAsync($"/api/public/surveys/by-link/{link}")));
        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(20);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        limited.Count.ShouldBe(40);
        var first = limited[0];
        int.Parse(first.Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        await first.Problem(HttpStatusCode.TooManyRequests);

        // another survey address is not affected
        var other = await respondent.Link(await respondent.PublishedSurvey());
        (await _client.GetAsync($"/api/public/surveys/by-link/{other}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
