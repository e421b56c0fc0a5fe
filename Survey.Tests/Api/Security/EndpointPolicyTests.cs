using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>
/// Every endpoint in the route table says who may call it: a named policy, or an explicit anonymous marker; anonymous
/// endpoints are only the public surfaces listed here, and every other endpoint refuses a caller without credentials.
/// New endpoints (analytics, cases, reports) are checked the moment they are mapped.
/// </summary>
public class EndpointPolicyTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    /// <summary>Public by design: respondents, hosted pages, short links, unsubscribe, provider callbacks (signed), health, API description, sign-in.</summary>
    private static readonly string[] AnonymousPrefixes =
        ["/api/public/", "/s/", "/i/", "/unsubscribe/", "/api/channels/", "/health", "/openapi/", "/docs", "/api/dev/sign-in"];

    private IReadOnlyList<RouteEndpoint> Endpoints()
    {
        _ = api.CreateClient(); // starts the host
        return api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
    }

    private static string Describe(RouteEndpoint e) =>
        $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} /{e.RoutePattern.RawText?.TrimStart('/')}";

    private static bool Anonymous(RouteEndpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    [Fact]
    public void Every_endpoint_has_a_policy_or_an_anonymous_marker()
    {
        var endpoints = Endpoints();
        endpoints.Count.ShouldBeGreaterThan(50);
        var undeclared = endpoints.Where(e => !Anonymous(e) && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0).Select(Describe).ToList();
        undeclared.ShouldBeEmpty("These endpoints declare neither .RequireAuthorization(Policies.X) nor .AllowAnonymous()");
    }

    [Fact]
    public async Task Every_policy_named_by_an_endpoint_exists()
    {
        var provider = api.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var names = Endpoints().SelectMany(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>()).Select(a => a.Policy).Distinct().ToList();
        names.ShouldNotContain((string?)null, "every endpoint names its policy rather than relying on the default");
        foreach (var name in names) (await provider.GetPolicyAsync(name!)).ShouldNotBeNull($"policy '{name}'");
    }

    [Fact]
    public void Only_public_surfaces_are_anonymous()
    {
        var unexpected = Endpoints().Where(Anonymous)
            .Where(e => !AnonymousPrefixes.Any(p => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith(p, StringComparison.Ordinal)))
            .Select(Describe).ToList();
        unexpected.ShouldBeEmpty("anonymous endpoints outside the public surfaces");
    }

    [Fact]
    public async Task Every_endpoint_that_needs_a_policy_refuses_a_caller_without_credentials()
    {
        var anonymous = api.Anonymous();
        var checkedCount = 0;
        foreach (var endpoint in Endpoints().Where(e => !Anonymous(e)))
        {
            var url = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(Fill))));
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is not ("GET" or "HEAD" or "DELETE")) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await anonymous.SendAsync(request);
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {url}");
                checkedCount++;
            }
        }
        checkedCount.ShouldBeGreaterThan(40);
    }

    private static string Fill(Microsoft.AspNetCore.Routing.Patterns.RoutePatternPart part) => part switch
    {
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "guid") => Guid.NewGuid().ToString(),
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart p when p.ParameterPolicies.Any(x => x.Content == "int") => "1",
        _ => "x",
    };
}
