using System.Net;
using Survey.Api.Security;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>Administrators of the operating tenant open the job dashboard in a browser through a short, strict, path-bound cookie.</summary>
public class JobDashboardSessionTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    private HttpClient WithCookie(string value)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", $"{JobDashboardSession.Cookie}={value}");
        return client;
    }

    [Fact]
    public async Task An_operator_administrator_gets_a_strict_cookie_for_the_dashboard_only_which_expires()
    {
        var opened = await api.CreateClient().PostAsync("/api/jobs/dashboard-session", null);
        opened.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var cookie = opened.Headers.GetValues("Set-Cookie").ShouldHaveSingleItem();
        cookie.ShouldStartWith($"{JobDashboardSession.Cookie}=");
        foreach (var attribute in new[] { "path=/hangfire", "httponly", "samesite=strict", "max-age=1800" }) cookie.ToLowerInvariant().ShouldContain(attribute);
        var value = cookie.Split(';')[0][(JobDashboardSession.Cookie.Length + 1)..];

        (await api.Anonymous().GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var dashboard = await WithCookie(value).GetAsync("/hangfire");
        dashboard.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await dashboard.Content.ReadAsStringAsync()).ShouldContain("Survey engine jobs");
        // the cookie is for the dashboard only: the API itself still wants a bearer token
        (await WithCookie(value).GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        // tampered or expired: refused
        var tampered = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];
        (await WithCookie(tampered).GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await WithCookie("not-a-session").GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        api.Time.Advance(JobDashboardSession.Lifetime + TimeSpan.FromSeconds(1));
        (await WithCookie(value).GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Other_roles_and_other_tenants_administrators_get_no_session()
    {
        (await api.ClientFor(Roles.Marketer).PostAsync("/api/jobs/dashboard-session", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var elsewhere = await api.ClientFor(Roles.Administrator, "brand-z").PostAsync("/api/jobs/dashboard-session", null);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        elsewhere.Headers.Contains("Set-Cookie").ShouldBeFalse();
        (await api.Anonymous().PostAsync("/api/jobs/dashboard-session", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
