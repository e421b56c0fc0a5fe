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

public sealed class LowIpLimitApiFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Respondents:RequestsPerMinutePerIp"] = "12",
        ["Respondents:RequestsPerMinutePerKey"] = "300",
    };
}

public class IpRateLimitTests(LowIpLimitApiFixture api) : IClassFixture<LowIpLimitApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task One_client_over_its_limit_gets_429_on_every_survey_address_before_its_request_is_read()
    {
        var respondent = new Respondent(_client);
        var questionnaire = await respondent.PublishedSurvey();
        var links = new[] { await respondent.Link(questionnaire), await respondent.Link(questionnaire) };
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 15; i++) responses.Add(await _client.GetAsync($"/api/public/surveys/by-link/{links[i % 2]}"));
        responses.Take(12).ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        responses.Skip(12).ShouldAllBe(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        int.Parse(responses[12].Headers.GetValues("Retry-After").Single()).ShouldBeInRange(1, 60);
        (await responses[12].Problem(HttpStatusCode.TooManyRequests))["title"]!.GetValue<string>().ShouldBe("Too many requests. Please wait a moment and try again.");

        // a save of a response that was never started would be 404: the limit answers first, without reading the body
        var save = await respondent.Save(Guid.NewGuid(), 1, new { nps = 9 });
        await save.Problem(HttpStatusCode.TooManyRequests);
        // the console's own endpoints are not public and not limited
        (await _client.GetAsync($"/api/questionnaires/{questionnaire}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
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

    [Fact]
    public async Task Short_links_and_routes_without_a_survey_address_do_not_share_one_window()
    {
        // 25 different short links (unknown ones answer 404) and 25 mini-program sign-ins without a body (400): each short link is
        // its own address, the sign-in has no address, so the per-address limit of 20 refuses none of them
        var links = await Task.WhenAll(Enumerable.Range(0, 25).Select(i => _client.GetAsync($"/i/nolink{i}")));
        links.ShouldAllBe(r => r.StatusCode == HttpStatusCode.NotFound);
        var signIns = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => _client.PostAsync("/api/public/miniprogram/sessions", null)));
        signIns.ShouldAllBe(r => r.StatusCode != HttpStatusCode.TooManyRequests && (int)r.StatusCode < 500);

        // one short link requested over its limit is still refused
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => _client.GetAsync("/i/samelink")));
        burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(10);
    }
}
