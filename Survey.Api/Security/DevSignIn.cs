using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Survey.Api.Http;
using Survey.Api.Respondents;
using Survey.Domain.Common;

namespace Survey.Api.Security;

/// <param name="User">Who signs in (any name: this is for development and tests).</param>
/// <param name="Role">One of administrator, marketer, regional_manager, dealer_manager, dealer_staff, analyst.</param>
/// <param name="Tenant">The tenant (brand) to act in; "default" when left out.</param>
/// <param name="Regions">The regions of a regional manager.</param>
/// <param name="Dealer">The dealer of a dealer manager or dealer staff.</param>
public sealed record DevSignInRequest(string? User, string? Role, string? Tenant = null, IReadOnlyList<string>? Regions = null, string? Dealer = null);

public sealed record SignedIn(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);

public static class DevSignInApi
{
    public static IEndpointRouteBuilder MapDevSignIn(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<SecurityOptions>>().Value.DevSignInEnabled) return app;
        app.MapPost("/api/dev/sign-in", Handle).WithTags("Security").WithName("DevSignIn").AllowAnonymous()
            .WithSummary("Development only: sign in as any user and role (disabled when an OpenID Connect authority is configured)")
            .WithRequestExample("""{ "user": "li.na", "role": "regional_manager", "tenant": "default", "regions": ["EAST"] }""");
        return app;
    }

    private static async Task<Ok<SignedIn>> Handle(DevSignInRequest request, DevSignIn signIn, AuditLog audit, CancellationToken ct)
    {
        var token = await signIn.Issue(request, ct);
        await audit.Record(new AuditRecord(request.Tenant ?? Storage.Tenancy.DefaultTenant, request.User!, request.Role, "SignIn", "POST", "/api/dev/sign-in", "/api/dev/sign-in", request.User, 200), ct);
        return TypedResults.Ok(token);
    }
}

/// <summary>
/// The built-in development sign-in: issues a locally signed JWT (HS256, key from configuration or made once and kept in
/// the database) for any user and role. Only mapped when no OpenID Connect authority is configured.
/// </summary>
public sealed class DevSignIn(IOptions<SecurityOptions> options, IDocumentStore store, TimeProvider time)
{
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey? LoadedKey => _key;

    public async Task<SignedIn> Issue(DevSignInRequest request, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        if (string.IsNullOrWhiteSpace(request.User) || request.User.Length > 200) problems.Add(new("user", "required", "user names who signs in (1-200 characters)."));
        if (request.Role is null || !Roles.All.Contains(request.Role)) problems.Add(new("role", "unknown-role", $"role is one of {string.Join(", ", Roles.All)}."));
        if (request.Tenant is { } t && (t.Length is 0 or > 64 || !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            problems.Add(new("tenant", "invalid-tenant", "A tenant is 1-64 letters, digits, '-' or '_'."));
        if (request.Role == Roles.RegionalManager && request.Regions is not { Count: > 0 }) problems.Add(new("regions", "required", "A regional manager needs at least one region."));
        if (request.Role is Roles.DealerManager or Roles.DealerStaff && string.IsNullOrWhiteSpace(request.Dealer)) problems.Add(new("dealer", "required", "Dealer roles need their dealer."));
        InvalidInputException.ThrowIfAny(problems);

        var now = time.GetUtcNow();
        var expires = now + options.Value.DevTokenLifetime;
        var claims = new Dictionary<string, object>
        {
            [Claims.Subject] = request.User!,
            [Claims.Name] = request.User!,
            [Claims.Tenant] = request.Tenant ?? Storage.Tenancy.DefaultTenant,
            [Claims.Role] = request.Role!,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (request.Regions is { Count: > 0 } regions) claims[Claims.Regions] = regions.ToArray();
        if (!string.IsNullOrWhiteSpace(request.Dealer)) claims[Claims.Dealer] = request.Dealer;
        var token = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SignIn.DevIssuer,
            Audience = options.Value.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(await Key(ct), SecurityAlgorithms.HmacSha256),
        });
        return new SignedIn(token, "Bearer", expires);
    }

    public async Task<SymmetricSecurityKey> Key(CancellationToken ct)
    {
        if (_key is not null) return _key;
        if (options.Value.DevSigningKey is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Security:DevSigningKey must hold at least 32 bytes (base64).");
            return _key = new SymmetricSecurityKey(bytes);
        }
        const string id = "dev-sign-in";
        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<TokenSigningKey>(id, ct);
        if (stored is null)
        {
            session.Insert(new TokenSigningKey(id, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            try { await session.SaveChangesAsync(ct); }
            catch (JasperFx.DocumentAlreadyExistsException) { /* another node made it first */ }
            await using var again = store.QuerySession();
            stored = await again.LoadAsync<TokenSigningKey>(id, ct) ?? throw new InvalidOperationException("No sign-in key.");
        }
        return _key = new SymmetricSecurityKey(Convert.FromBase64String(stored.Key));
    }
}
