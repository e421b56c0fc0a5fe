using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Survey.Api.Storage;
using Survey.Domain.Common;

namespace Survey.Api.Security;

/// <summary>
/// A per-tenant key for server-to-server ingestion. Only a SHA-256 hash of the secret is stored; the secret is shown once.
/// Single-tenanted so a request can find its tenant from the key alone.
/// </summary>
public sealed record ApiKey(string Id, string TenantId, string Name, string SecretHash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? RotatedAt);

public sealed record ApiKeyView(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? RotatedAt);
/// <param name="Key">The full key, shown only in this answer: send it as <c>Authorization: ApiKey {key}</c>.</param>
public sealed record NewApiKey(string Id, string Name, string Key);
public sealed record CreateApiKeyRequest(string Name);

public static class ApiKeys
{
    public const string Scheme = "ApiKey";
    public const string Policy = "ingestion";

    /// <summary>Keys look like <c>sk_{id}_{secret}</c>; the id finds the record, the secret is compared by hash in constant time.</summary>
    public static (string Id, string Secret) NewSecret() =>
        (Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9)).Replace('_', 'x').Replace('-', 'y'), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(Scheme, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(Tenancy.ClaimType));
        return services;
    }

    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/api-keys").WithTags("Security").RequireAuthorization(Policies.Administrator);
        group.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Create an ingestion key for this tenant (the secret is shown once)");
        group.MapGet("/", List).WithName("ListApiKeys").WithSummary("List this tenant's ingestion keys (never their secrets)");
        group.MapPost("/{id}/rotate", Rotate).WithName("RotateApiKey").WithSummary("Replace a key's secret; the old secret stops working at once");
        group.MapPost("/{id}/revoke", Revoke).WithName("RevokeApiKey").WithSummary("Revoke a key; requests with it are refused from now on");
        return app;
    }

    private static async Task<Created<NewApiKey>> Create(CreateApiKeyRequest request, IDocumentSession session, Tenancy tenancy, TimeProvider time, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 100)
            throw new InvalidInputException([new("name", "required", "A name of 1 to 100 characters says what the key is for.")]);
        var (id, secret) = NewSecret();
        session.Insert(new ApiKey(id, tenancy.TenantId, request.Name, Hash(secret), time.GetUtcNow(), null, null));
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/api-keys/{id}", new NewApiKey(id, request.Name, $"sk_{id}_{secret}"));
    }

    private static async Task<Ok<List<ApiKeyView>>> List(IQuerySession session, Tenancy tenancy, CancellationToken ct)
    {
        var tenant = tenancy.TenantId;
        var keys = await session.Query<ApiKey>().Where(k => k.TenantId == tenant).OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(keys.Select(k => new ApiKeyView(k.Id, k.Name, k.CreatedAt, k.RevokedAt, k.RotatedAt)).ToList());
    }

    private static async Task<Ok<NewApiKey>> Rotate(string id, IDocumentSession session, Tenancy tenancy, TimeProvider time, CancellationToken ct)
    {
        var key = await Own(session, tenancy, id, ct);
        if (key.RevokedAt is not null) throw new RuleViolationException("revoked", "A revoked key cannot be rotated; create a new one.");
        var (_, secret) = NewSecret();
        session.Store(key with { SecretHash = Hash(secret), RotatedAt = time.GetUtcNow() });
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new NewApiKey(id, key.Name, $"sk_{id}_{secret}"));
    }

    private static async Task<Ok<ApiKeyView>> Revoke(string id, IDocumentSession session, Tenancy tenancy, TimeProvider time, CancellationToken ct)
    {
        var key = await Own(session, tenancy, id, ct);
        var revoked = key with { RevokedAt = key.RevokedAt ?? time.GetUtcNow() };
        session.Store(revoked);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new ApiKeyView(id, key.Name, key.CreatedAt, revoked.RevokedAt, key.RotatedAt));
    }

    private static async Task<ApiKey> Own(IQuerySession session, Tenancy tenancy, string id, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        return key is not null && key.TenantId == tenancy.TenantId ? key : throw new NotFoundException($"API key {id} does not exist.");
    }
}

/// <summary>Authenticates <c>Authorization: ApiKey sk_…</c> (or <c>X-Api-Key</c>) and puts the key's tenant on the principal.</summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IDocumentStore store)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : Request.Headers["X-Api-Key"].ToString();
        if (string.IsNullOrEmpty(presented)) return AuthenticateResult.NoResult();
        var parts = presented.Split('_', 3);
        if (parts.Length != 3 || parts[0] != "sk" || parts[1].Length > 20) return AuthenticateResult.Fail("Malformed API key.");
        await using var session = store.QuerySession();
        var key = await session.LoadAsync<ApiKey>(parts[1], Context.RequestAborted);
        if (key is null || key.RevokedAt is not null) return AuthenticateResult.Fail("Unknown or revoked API key.");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ApiKeys.Hash(parts[2])), Encoding.ASCII.GetBytes(key.SecretHash)))
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, $"apikey:{key.Id}"), new Claim(Tenancy.ClaimType, key.TenantId)], ApiKeys.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeys.Scheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "ApiKey";
        await Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = Http.Problems.Of(401, "unauthenticated", "Send a valid API key as 'Authorization: ApiKey sk_…'."),
        });
    }
}
