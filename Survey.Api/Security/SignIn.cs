using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Survey.Api.Security;

/// <summary>
/// Bearer JWTs for the console and admin API. With <c>Security:Authority</c> set, tokens come from that OpenID Connect
/// provider (keys from its metadata); otherwise from the development sign-in, signed with a local key. Either way the
/// signature, issuer, audience and expiry are verified (expiry against the API's clock).
/// </summary>
public static class SignIn
{
    public const string DevIssuer = "survey-dev-sign-in";

    public static IHostApplicationBuilder AddSignIn(this IHostApplicationBuilder builder)
    {
        var embedded = string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Postgres"));
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration("Security").PostConfigure(o => o.DevSignIn ??= embedded);
        builder.Services.AddSingleton<DevSignIn>();
        builder.Services.AddSingleton<OrgScopes>();
        builder.Services.AddSingleton<JobDashboardSession>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService<AuditLog.TableSetup>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<SecurityOptions>, DevSignIn, TimeProvider, AuditLog>(Configure);
        builder.Services.AddAuthorizationBuilder().AddSurveyPolicies();
        return builder;
    }

    private static void Configure(JwtBearerOptions jwt, IOptions<SecurityOptions> options, DevSignIn dev, TimeProvider time, AuditLog audit)
    {
        var security = options.Value;
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidAudience = security.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            NameClaimType = Claims.Name,
            RoleClaimType = Claims.Role,
            // the API's clock (a FakeTimeProvider in tests), not the machine's
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now < exp + security.ClockSkew && (notBefore is not { } nbf || now >= nbf - security.ClockSkew);
            },
        };
        if (string.IsNullOrWhiteSpace(security.Authority))
        {
            // development tokens only; with the development sign-in off, no key is known and every token is refused
            var enabled = security.DevSignInEnabled;
            jwt.TokenValidationParameters.ValidIssuer = DevIssuer;
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            jwt.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => enabled && dev.LoadedKey is { } key ? [key] : [];
            jwt.Events = new JwtBearerEvents { OnMessageReceived = async c => { if (enabled) await dev.Key(c.HttpContext.RequestAborted); } };
        }
        else
        {
            jwt.Authority = security.Authority;
            jwt.Audience = security.Audience;
            jwt.RequireHttpsMetadata = security.RequireHttpsMetadata;
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = async c =>
                {
                    MapClaims(c.Principal!, security);
                    await audit.RecordSignIn(c.Principal!, c.SecurityToken, c.HttpContext.RequestAborted);
                },
            };
        }
    }

    /// <summary>An authority may name the claims otherwise (e.g. "roles", "tid"): copy them to the names the API reads.</summary>
    private static void MapClaims(ClaimsPrincipal principal, SecurityOptions security)
    {
        if (principal.Identity is not ClaimsIdentity identity) return;
        foreach (var (from, to) in new[] { (security.TenantClaim, Claims.Tenant), (security.RoleClaim, Claims.Role), (security.RegionsClaim, Claims.Regions), (security.DealerClaim, Claims.Dealer) })
            if (from != to)
                foreach (var claim in identity.FindAll(from).ToList()) identity.AddClaim(new Claim(to, claim.Value));
    }
}
