using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Survey.Api.Security;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>
/// A stand-in OpenID Connect provider on 127.0.0.1: it serves <c>/.well-known/openid-configuration</c> and a JWKS with
/// one RSA key, as a real provider does, and signs tokens with it. Claims are named like Entra ID's ("roles", "tid").
/// It also runs the authorization code flow with PKCE for a public client (RFC 6749 4.1, RFC 7636 S256) as a browser app uses
/// it: <c>/authorize</c> signs in <see cref="SignedInUser"/> without a login page and redirects back with a one-time code;
/// <c>/token</c> (CORS, form-encoded) gives an access token only for that code, the same redirect_uri and client_id, and a
/// code_verifier whose SHA-256 is the code_challenge. What each step received is kept in <see cref="Seen"/>.
/// </summary>
public sealed class LocalIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    public RsaSecurityKey Key { get; } = new(RSA.Create(2048)) { KeyId = "key-1" };
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Challenge, string RedirectUri, string ClientId)> _codes = new();
    public const string ConsoleClientId = "survey-console-spa";
    /// <summary>Whom <c>/authorize</c> signs in.</summary>
    public Dictionary<string, object> SignedInUser { get; set; } = new() { ["sub"] = "u-2001", ["name"] = "Wang Fang", ["roles"] = new[] { "marketer" }, ["tid"] = "brand-a" };
    /// <summary>The provider's clock (the API's fake clock in tests).</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
    public System.Collections.Concurrent.ConcurrentQueue<string> Seen { get; } = new();
    public string Issuer { get; }

    public LocalIdentityProvider()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        var parameters = Key.Rsa.ExportParameters(false);
        _app.MapGet("/.well-known/openid-configuration", (HttpContext c) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer!, ["jwks_uri"] = $"{Issuer}/jwks", ["authorization_endpoint"] = $"{Issuer}/authorize", ["token_endpoint"] = $"{Issuer}/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" }, ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
        }));
        _app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[] { new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Key.KeyId, ["n"] = Base64UrlEncoder.Encode(parameters.Modulus), ["e"] = Base64UrlEncoder.Encode(parameters.Exponent) } },
        }));
        _app.Use(async (context, next) =>
        {
            // browser apps fetch discovery and the token endpoint cross-origin, as real providers allow
            if (context.Request.Headers.Origin.ToString() is { Length: > 0 } origin) context.Response.Headers.AccessControlAllowOrigin = origin;
            await next(context);
        });
        _app.MapGet("/authorize", (HttpContext c) =>
        {
            var q = c.Request.Query;
            Seen.Enqueue($"authorize response_type={q["response_type"]} client_id={q["client_id"]} method={q["code_challenge_method"]} scope={q["scope"]}");
            if (q["response_type"] != "code" || q["client_id"] != ConsoleClientId || q["code_challenge_method"] != "S256"
                || q["code_challenge"].ToString().Length != 43 || string.IsNullOrEmpty(q["state"]) || !Uri.TryCreate(q["redirect_uri"], UriKind.Absolute, out var back))
                return Results.BadRequest("invalid_request");
            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            _codes[code] = (q["code_challenge"]!, back.ToString(), q["client_id"]!);
            return Results.Redirect($"{back}?code={code}&state={Uri.EscapeDataString(q["state"]!)}");
        });
        _app.MapPost("/token", async (HttpContext c) =>
        {
            var form = await c.Request.ReadFormAsync();
            var code = form["code"].ToString();
            var verifier = form["code_verifier"].ToString();
            var known = _codes.TryRemove(code, out var issued); // one use only
            var challenge = Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
            var ok = known && form["grant_type"] == "authorization_code" && form["client_id"] == issued.ClientId && form["redirect_uri"] == issued.RedirectUri
                && verifier.Length >= 43 && challenge == issued.Challenge;
            Seen.Enqueue($"token grant_type={form["grant_type"]} known={known} verified={ok}");
            if (!ok) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            return Results.Json(new { access_token = Token(Clock(), SignedInUser), token_type = "Bearer", expires_in = 3600 });
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Issuer = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public string Token(DateTimeOffset now, Dictionary<string, object> claims, string audience = "survey-console", SecurityKey? key = null, string? issuer = null, TimeSpan? lifetime = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer, Audience = audience, Claims = claims, IssuedAt = now.UtcDateTime, NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The API's settings for this provider as its authority (no job server: these tests run no jobs).</summary>
    public Dictionary<string, string> ApiSettings() => new()
    {
        ["Security:Authority"] = Issuer,
        ["Security:Audience"] = "survey-console",
        ["Security:RequireHttpsMetadata"] = "false",
        ["Security:RoleClaim"] = "roles",
        ["Security:TenantClaim"] = "tid",
        ["Storage:RunJobServer"] = "false",
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed class OidcApiFixture : ApiFixture
{
    public LocalIdentityProvider Provider { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => Provider.ApiSettings();

    protected override DevSignInRequest? DefaultUser => null;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>With an OpenID Connect authority configured: its tokens are accepted after full checks; the development sign-in is gone.</summary>
public class OidcSignInTests(OidcApiFixture api) : IClassFixture<OidcApiFixture>
{
    private Dictionary<string, object> Marketer(string jti) => new() { ["sub"] = "u-1001", ["name"] = "Wang Fang", ["roles"] = new[] { "marketer" }, ["tid"] = "brand-a", ["jti"] = jti };

    private HttpClient With(string token)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    [Fact]
    public async Task The_providers_tokens_are_accepted_with_its_role_and_tenant_claims()
    {
        var client = With(api.Provider.Token(api.Time.GetUtcNow(), Marketer("t-1")));
        (await client.GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.GetAsync("/api/api-keys")).Problem(HttpStatusCode.Forbidden); // a marketer, not an administrator
    }

    [Fact]
    public async Task The_development_sign_in_is_not_there_and_its_tokens_are_refused()
    {
        (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "x", role = "administrator" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var devToken = new JsonWebTokenHandler().CreateToken(SignInTests.Descriptor(api, new() { ["sub"] = "x", ["role"] = "administrator", ["tenant"] = "default" }));
        (await With(devToken).GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_with_another_key_audience_issuer_or_an_expired_lifetime_are_refused()
    {
        var now = api.Time.GetUtcNow();
        var provider = api.Provider;
        foreach (var (name, token) in new[]
                 {
                     ("another key", provider.Token(now, Marketer("a"), key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "key-1" })),
                     ("another audience", provider.Token(now, Marketer("b"), audience: "some-other-api")),
                     ("another issuer", provider.Token(now, Marketer("c"), issuer: "https://login.evil.example")),
                     ("expired", provider.Token(now.AddHours(-3), Marketer("d"))),
                     ("not yet valid", provider.Token(now.AddHours(2), Marketer("e"))),
                 })
            (await With(token).GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, name);
    }

    [Fact]
    public async Task A_new_token_is_audited_once_as_a_sign_in()
    {
        var token = api.Provider.Token(api.Time.GetUtcNow(), new() { ["sub"] = "u-7", ["roles"] = new[] { "administrator" }, ["tid"] = "brand-s", ["jti"] = "sign-in-7" });
        var client = With(token);
        (await client.GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var log = await (await client.GetAsync("/api/audit?action=SignIn")).Read<System.Text.Json.Nodes.JsonObject>();
        var entry = log["items"]!.AsArray().ShouldHaveSingleItem()!;
        entry["user"]!.ToString().ShouldBe("u-7");
        entry["role"]!.ToString().ShouldBe("administrator");
    }
}
