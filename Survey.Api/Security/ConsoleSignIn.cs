using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Survey.Api.Security;

/// <summary>How the console signs in here: the development form, or the authorization code flow with PKCE at an authority.</summary>
/// <param name="Development">The development sign-in form is available.</param>
/// <param name="Authority">The OpenID Connect issuer the console sends people to (null without one).</param>
/// <param name="ClientId">The console's public client id at the authority (null: paste a token instead).</param>
/// <param name="Scope">Scopes to ask for.</param>
public sealed record ConsoleSignInOptions(bool Development, string? Authority, string? ClientId, string Scope);

public static class ConsoleSignIn
{
    public static IEndpointRouteBuilder MapConsoleSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/public/console/sign-in", Get).WithTags("Security").WithName("ConsoleSignInOptions").AllowAnonymous()
            .WithSummary("How the console signs in: the development form, or an OpenID Connect authority with the console's client id (PKCE)");
        return app;
    }

    private static Ok<ConsoleSignInOptions> Get(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        var authority = string.IsNullOrWhiteSpace(o.Authority) ? null : o.Authority.TrimEnd('/');
        return TypedResults.Ok(new ConsoleSignInOptions(o.DevSignInEnabled, authority, authority is null ? null : o.ConsoleClientId, o.ConsoleScope));
    }

    /// <summary>The authority's origin, which the console's CSP must let it fetch from (discovery and token endpoint).</summary>
    public static string? AuthorityOrigin(SecurityOptions options) =>
        !string.IsNullOrWhiteSpace(options.Authority) && !string.IsNullOrWhiteSpace(options.ConsoleClientId) && Uri.TryCreate(options.Authority, UriKind.Absolute, out var uri)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
