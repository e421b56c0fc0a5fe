using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Survey.Api.Security;

/// <summary>The roles of the console, scoped to the org hierarchy (tenant > region > dealer).</summary>
public static class Roles
{
    public const string Administrator = "administrator";
    public const string Marketer = "marketer";
    public const string RegionalManager = "regional_manager";
    public const string DealerManager = "dealer_manager";
    public const string DealerStaff = "dealer_staff";
    /// <summary>Read-only, never personal data.</summary>
    public const string Analyst = "analyst";

    public static readonly IReadOnlyList<string> All = [Administrator, Marketer, RegionalManager, DealerManager, DealerStaff, Analyst];
}

/// <summary>
/// Every named policy in one place. Every endpoint says which one it needs (or <c>AllowAnonymous</c>);
/// <c>EndpointPolicyTests</c> fails the build of any endpoint that says neither.
/// </summary>
public static class Policies
{
    /// <summary>Org hierarchy, API keys, audit, the job dashboard.</summary>
    public const string Administrator = "administrator";
    /// <summary>Writing questionnaires, triggers, links, widget keys and invitations.</summary>
    public const string Design = "design";
    /// <summary>Reading questionnaires, triggers and widget keys (no personal data).</summary>
    public const string DesignRead = "design.read";
    /// <summary>Individual responses with their answers (personal data: free text). Tenant-wide roles only until responses carry their dealer.</summary>
    public const string Responses = "responses.read";
    /// <summary>Any console role; the handler narrows what it shows with <see cref="OrgScopes"/>.</summary>
    public const string Console = "console";
    /// <summary>Working cases (assign, log contacts, code, resolve, re-survey, reopen): every console role but the read-only analyst.</summary>
    public const string CaseWork = "cases.work";
    /// <summary>Server-to-server ingestion with a per-tenant API key.</summary>
    public const string Ingestion = ApiKeys.Policy;

    public static AuthorizationBuilder AddSurveyPolicies(this AuthorizationBuilder auth) => auth
        .AddPolicy(Administrator, p => Signed(p).RequireRole(Roles.Administrator))
        .AddPolicy(Design, p => Signed(p).RequireRole(Roles.Administrator, Roles.Marketer))
        .AddPolicy(DesignRead, p => Signed(p).RequireRole(Roles.Administrator, Roles.Marketer, Roles.Analyst))
        .AddPolicy(Responses, p => Signed(p).RequireRole(Roles.Administrator, Roles.Marketer))
        .AddPolicy(Console, p => Signed(p).RequireRole(Roles.All))
        .AddPolicy(CaseWork, p => Signed(p).RequireRole(Roles.All.Where(r => r != Roles.Analyst)));

    /// <summary>A console user: a valid bearer token naming a tenant.</summary>
    private static AuthorizationPolicyBuilder Signed(AuthorizationPolicyBuilder p) =>
        p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().RequireClaim(Claims.Tenant);

    /// <summary>GET/HEAD need <paramref name="read"/>, every other method <paramref name="write"/> (one line per endpoint group).</summary>
    public static TBuilder RequireReadWrite<TBuilder>(this TBuilder builder, string read, string write) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IAuthorizeData>().Any() || endpoint.Metadata.OfType<IAllowAnonymous>().Any()) return;
            var methods = endpoint.Metadata.OfType<Microsoft.AspNetCore.Routing.HttpMethodMetadata>().SelectMany(m => m.HttpMethods).ToList();
            var readOnly = methods.Count > 0 && methods.All(m => m is "GET" or "HEAD");
            endpoint.Metadata.Add(new AuthorizeAttribute(readOnly ? read : write));
        });
        return builder;
    }
}
