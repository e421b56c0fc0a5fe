namespace Survey.Api.Security;

/// <summary>
/// Sign-in for the console and admin API: bearer JWTs from a configured OpenID Connect authority, or, when none is
/// configured, from the built-in development sign-in (<c>POST /api/dev/sign-in</c>).
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The OpenID Connect issuer (its <c>/.well-known/openid-configuration</c> names the signing keys). Empty: development sign-in.</summary>
    public string? Authority { get; set; }
    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "survey-api";
    /// <summary>Metadata must come over HTTPS (turn off only for a local identity provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
    /// <summary>Names of the claims in the authority's tokens that carry tenant, role(s), regions and dealer.</summary>
    public string TenantClaim { get; set; } = Claims.Tenant;
    public string RoleClaim { get; set; } = Claims.Role;
    public string RegionsClaim { get; set; } = Claims.Regions;
    public string DealerClaim { get; set; } = Claims.Dealer;
    /// <summary>Base64 key (32+ bytes) signing development tokens; without it one is generated once and kept in the database.</summary>
    public string? DevSigningKey { get; set; }
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);
    /// <summary>
    /// The console's client id at the authority (a public client: authorization code flow with PKCE, no secret). With it and an
    /// authority, the console offers "Sign in with your organisation"; its redirect URI is the console's own address.
    /// </summary>
    public string? ConsoleClientId { get; set; }
    /// <summary>Scopes the console asks for; include the one that makes the authority issue access tokens for <see cref="Audience"/>.</summary>
    public string ConsoleScope { get; set; } = "openid profile";

    /// <summary>Tolerated clock difference when checking expiry.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The tenant whose administrators may open the job dashboard (it shows every tenant's jobs).</summary>
    public string OperatorTenant { get; set; } = Storage.Tenancy.DefaultTenant;

    /// <summary>
    /// The development sign-in: on by default only with the embedded database (no connection string configured); a
    /// server with its own database and no authority accepts no console sign-in until one is configured (or this is set).
    /// Never on when an authority is configured.
    /// </summary>
    public bool? DevSignIn { get; set; }

    public bool DevSignInEnabled => string.IsNullOrWhiteSpace(Authority) && DevSignIn == true;
}

/// <summary>The claims the API reads from a signed-in principal.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Tenant = Storage.Tenancy.ClaimType;
    public const string Role = "role";
    public const string Regions = "regions";
    public const string Dealer = "dealer";
}
